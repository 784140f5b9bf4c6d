//! A synthetic office for benchmarks and scale tests (not a user command):
//! N members with realistic variety — rare name characters, long addresses,
//! departures of every kind, visits, illness and hardship — valid by
//! construction and the same for the same seed.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

use chrono::{Datelike, Days, NaiveDate};

use crate::office::id_number::check_digit;

/// xorshift64*: small, fast, and stable across platforms and versions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn date(&mut self, from: NaiveDate, days: u64) -> NaiveDate {
        from + Days::new(self.below(days.max(1)))
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "蒋",
    "蔡", "余", "杜", "叶", "程", "魏", "苏", "吕", "丁", "沈", "任", "姚", "卢", "傅", "钟", "姜", "崔", "谭", "陆",
    "汪", "范", "金", "石", "欧阳", "司马",
];
const GIVEN: &[&str] = &[
    "建国", "国强", "志明", "卫东", "德明", "立新", "文华", "永康", "长林", "振华", "宝根", "金富", "洪涛", "海平",
    "建华", "秀英", "桂兰", "玉梅", "淑珍", "凤英", "美华", "丽娟", "月娥", "素琴", "爱华", "惠芳", "翠英", "雅琴",
    "巧云", "佩玲", "雪梅", "喆", "堃", "玥", "㛃", "淼", "珺", "昇", "犇", "燚", "溥", "启明", "树森", "伯年", "荣生",
];
const DISTRICTS: &[(&str, &str, &str)] = &[
    ("上城区", "清波街道", "310002"),
    ("拱墅区", "和睦街道", "310011"),
    ("西湖区", "翠苑街道", "310012"),
    ("滨江区", "西兴街道", "310051"),
    ("萧山区", "城厢街道", "311201"),
    ("余杭区", "临平街道", "311100"),
];
const PLACES: &[(&str, &str, &str, &str)] = &[
    ("广东省", "深圳市", "南山区", "518057"),
    ("海南省", "三亚市", "吉阳区", "572000"),
    ("上海市", "上海市", "浦东新区", "200135"),
    ("江苏省", "南京市", "鼓楼区", "210008"),
    ("四川省", "成都市", "武侯区", "610041"),
    ("云南省", "昆明市", "盘龙区", "650051"),
    ("北京市", "北京市", "海淀区", "100083"),
    ("浙江省", "绍兴市", "柯桥区", "312030"),
];
const NATIVE: &[&str] =
    &["浙江杭州", "浙江宁波", "浙江绍兴", "江苏南京", "安徽合肥", "山东济南", "上海", "江西南昌", "福建福州"];
const AREAS: &[&str] = &["330102", "330105", "330106", "330108", "330203", "320102", "340102", "370102"];

fn mobile(r: &mut Rng) -> String {
    format!("1{}{:09}", r.pick(&["3", "5", "7", "8", "9"]), r.below(1_000_000_000))
}

/// Member `i`'s citizen ID. Its county (the area code's last two digits)
/// and its three-digit sequence come from `i` (the sequence odd for men),
/// so no two members of an office under 49,500 share one, whatever their
/// birth dates; drawn at random they did, from about 20,000 members on.
fn id_number(r: &mut Rng, i: usize, birth: NaiveDate, male: bool) -> String {
    let (county, seq) = (i / 500 % 99 + 1, (i % 500) * 2 + usize::from(male));
    // Two draws made and not used: every later field of the record is drawn
    // from the stream as the benchmark's figures were taken with.
    r.below(50);
    let city = &r.pick(AREAS)[..4];
    r.below(100);
    let first = format!("{city}{county:02}{}{seq:03}", birth.format("%Y%m%d"));
    format!("{first}{}", check_digit(&first))
}

/// org.yaml for `branches` branches of three groups each.
pub fn org_yaml(branches: usize) -> String {
    let mut s = String::from(
        "enterprise: 合成测试集团有限公司\noffice:\n  name: 离退休管理办公室\n  address: 杭州市拱墅区测试路 1 号\n  postcode: \"310011\"\n  phone: \"0571-88000000\"\nparty_committee:\n  name: 中共合成测试集团有限公司离退休工作委员会\n  address: 杭州市拱墅区测试路 1 号\n  postcode: \"310011\"\n  phone: \"0571-88000001\"\nfiling_org:\n  name: 中共合成测试集团有限公司委员会组织部\nbranches:\n",
    );
    for b in 1..=branches {
        let _ = write!(
            s,
            "  - id: b{b}\n    name: 第{b}离退休党支部\n    phone: \"0571-88{b:06}\"\n    committee:\n      - name: 书记{b}\n        role: 书记\n        mobile: \"139{b:08}\"\n      - name: 委员{b}\n        role: 组织委员\n        mobile: \"137{b:08}\"\n    groups:\n"
        );
        for g in 1..=3 {
            let _ = write!(
                s,
                "      - id: b{b}-g{g}\n        name: 第{g}党小组\n        leader: 组长{b}{g}\n        mobile: \"136{b:06}{g:02}\"\n"
            );
        }
    }
    s
}

/// One member file. `i` is the member's number; `as_of` anchors the dates.
pub fn member_yaml(seed: u64, i: usize, branches: usize, as_of: NaiveDate) -> String {
    let mut r = Rng((seed ^ (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1);
    for _ in 0..3 {
        r.next();
    }
    let male = r.chance(60);
    let age = 60 + r.below(41) as i32;
    let birth = NaiveDate::from_ymd_opt(as_of.year() - age - 1, 1, 1).unwrap() + Days::new(r.below(365));
    let joined =
        NaiveDate::from_ymd_opt(birth.year() + 20 + r.below(20) as i32, 1, 1).unwrap() + Days::new(r.below(360));
    let joined = joined.min(as_of - Days::new(400));
    let full = joined + Days::new(366);
    let (district, street, postcode) = *r.pick(DISTRICTS);
    let long = r.chance(5);
    let address = if long {
        format!(
            "杭州市{district}{street}某某社区某某国际花园小区南区第{}幢{}单元{}室（进小区后沿主干道走到底右转第二幢，一楼有便利店）",
            r.below(40) + 1,
            r.below(6) + 1,
            100 + r.below(2000)
        )
    } else {
        format!("杭州市{district}{street}第{}幢{}单元{}室", r.below(40) + 1, r.below(6) + 1, 100 + r.below(2000))
    };
    let b = i % branches + 1;
    let g = i / branches % 3 + 1;
    let mut s = String::new();
    let _ = write!(
        s,
        "id: m{i:06}\nname: {}{}\nsex: {}\nethnicity: 汉族\nid_number: \"{}\"\nnative_place: {}\naddress: {address}\npostcode: \"{postcode}\"\n",
        r.pick(SURNAMES),
        r.pick(GIVEN),
        if male { "男" } else { "女" },
        id_number(&mut r, i, birth, male),
        r.pick(NATIVE),
    );
    if r.chance(5) {
        s.push_str("in_city: false\n");
    }
    let _ = write!(
        s,
        "home_phone: \"0571-8{:07}\"\nmobile: \"{}\"\nfamily_contacts:\n  - name: {}晓{}\n    relation: {}\n    phone: \"{}\"\njoined_party: {joined}\nfull_member: {full}\nretired: {}\nformer_unit: 第{}分厂\nbranch: b{b}\ngroup: b{b}-g{g}\nliving: {}\n",
        r.below(10_000_000),
        mobile(&mut r),
        r.pick(SURNAMES),
        r.pick(&["东", "红", "军", "燕"]),
        r.pick(&["儿子", "女儿", "配偶"]),
        mobile(&mut r),
        NaiveDate::from_ymd_opt(birth.year() + 58, 1, 1).unwrap().min(as_of),
        r.below(9) + 1,
        r.pick(&["与配偶同住", "独居", "与子女同住"]),
    );
    if r.chance(4) {
        let since = as_of - Days::new(r.below(30));
        let _ = write!(s, "health:\n  status: 重病\n  since: {since}\n  notes: 住院治疗中\n");
    } else {
        let _ = write!(s, "health:\n  status: {}\n", r.pick(&["良好", "一般", "慢性病"]));
    }
    if r.chance(3) {
        let since = as_of - Days::new(r.below(30));
        let _ = write!(s, "hardship:\n  level: 低保\n  since: {since}\n  notes: 家庭人均收入低于城镇低保标准\n");
    }
    let _ = writeln!(s, "pension: {}", 3000 + r.below(4500));
    if r.chance(12) {
        let (province, city, county, pc) = *r.pick(PLACES);
        let start = r.date(as_of - Days::new(400), 390);
        let end = start + Days::new(30 + r.below(400));
        let returned = (end < as_of && r.chance(60)).then_some(end);
        let near = r.chance(10);
        let _ = write!(
            s,
            "departures:\n  - id: W{i:06}\n    applied: {}\n    reason: 随子女居住\n    destination:\n      province: {province}\n      city: {city}\n      county: {county}\n      address: 某某街道某某路 {} 号\n      postcode: \"{pc}\"\n    start: {start}\n    planned_end: {end}\n    fixed_location: {}\n    near_home: {near}\n    filed: {start}\n    dues_paid_to: \"{}\"\n    last_contact: {}\n",
            start - Days::new(5),
            r.below(300) + 1,
            r.chance(50),
            (as_of - Days::new(30 * r.below(5))).format("%Y-%m"),
            as_of - Days::new(r.below(60)),
        );
        if !near {
            let _ = write!(s, "    card:\n      number: LK{i:06}\n      issued: {}\n", start - Days::new(2));
        }
        if let Some(ret) = returned {
            let _ =
                write!(s, "    returned: {ret}\n    card_returned: {ret}\n    report: 外出期间按时参加组织生活。\n");
        }
    }
    let visits = r.below(5);
    if visits > 0 {
        s.push_str("visits:\n");
        for _ in 0..visits {
            let _ = write!(
                s,
                "  - date: {}\n    kind: {}\n    by: 书记{b}\n    difficulties: 无\n    suggestions: 希望多组织学习\n    plans: 保重身体\n",
                as_of - Days::new(r.below(200)),
                r.pick(&["上门", "上门", "电话"]),
            );
        }
    }
    s
}

/// Write a data folder of `members` members (one branch per 300 members).
pub fn write_office(dir: &Path, members: usize, seed: u64, as_of: NaiveDate) -> io::Result<()> {
    write_office_of(dir, members, members.div_ceil(300).max(1), seed, as_of)
}

/// Write a data folder of `members` members in `branches` branches (a
/// 党总支 kept as one branch: three of 3,333 at 10,000).
pub fn write_office_of(dir: &Path, members: usize, branches: usize, seed: u64, as_of: NaiveDate) -> io::Result<()> {
    let branches = branches.max(1);
    std::fs::create_dir_all(dir.join("members"))?;
    std::fs::write(dir.join("org.yaml"), org_yaml(branches))?;
    for i in 0..members {
        let sub = dir.join("members").join(format!("b{}", i % branches + 1));
        if i < branches {
            std::fs::create_dir_all(&sub)?;
        }
        std::fs::write(sub.join(format!("m{i:06}.yaml")), member_yaml(seed, i, branches, as_of))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_office_and_it_passes_check() {
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert_eq!(member_yaml(7, 42, 3, as_of), member_yaml(7, 42, 3, as_of));
        assert_ne!(member_yaml(7, 42, 3, as_of), member_yaml(8, 42, 3, as_of));
        let dir = tempfile::tempdir().unwrap();
        write_office(dir.path(), 400, 1, as_of).unwrap();
        let (office, diags) = crate::load::load(dir.path());
        let office = office.expect("org.yaml reads");
        assert_eq!(office.members.len(), 400);
        let fonts = crate::fonts::FontSet::builtin().unwrap();
        let mut all = diags;
        all.extend(crate::check::check(&crate::facts::Facts::derive(&office, as_of), &fonts));
        let errors: Vec<_> = all.iter().filter(|d| d.severity == crate::diag::Severity::Error).collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }

    #[test]
    fn no_two_members_share_a_citizen_id() {
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let mut seen = std::collections::HashSet::new();
        for i in 0..20_000 {
            let yaml = member_yaml(1, i, 67, as_of);
            let id = yaml.lines().find_map(|l| l.strip_prefix("id_number: ")).unwrap().to_string();
            let parsed = crate::office::id_number::parse_id_number(id.trim_matches('"')).expect("a valid number");
            assert_eq!(parsed.sex == crate::office::Sex::Male, yaml.contains("sex: 男"), "{id}");
            assert!(seen.insert(id.clone()), "member {i}: {id} again");
        }
    }
}
