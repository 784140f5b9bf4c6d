//! Horizontal bar charts for the statistics page: the geometry is computed
//! here, the template draws it as inline SVG (no script, no external file).

use serde::Serialize;

/// Drawing width (viewBox units); the page scales it to fit a phone.
const WIDTH: u32 = 320;
/// The longest bar; the rest is room for the value after it.
const BAR_MAX: u32 = 250;
/// One label line and one bar per row; a stacked bar has a third line
/// with each part's number, so nothing needs a mouse to be read.
const ROW: u32 = 40;
const STACKED_ROW: u32 = 58;

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub class: &'static str,
    pub zh: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Segment {
    pub x: u32,
    pub width: u32,
    pub value: u32,
    pub class: &'static str,
    pub zh: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub label: String,
    pub total: u32,
    pub label_y: u32,
    pub bar_y: u32,
    pub value_x: u32,
    pub value_y: u32,
    /// Where a stacked bar's parts are written out ("已完成 2 · 逾期 1").
    pub parts_y: u32,
    pub parts: String,
    pub segments: Vec<Segment>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub width: u32,
    pub height: u32,
    pub series: Vec<Series>,
    pub bars: Vec<Bar>,
}

/// A chart of `rows` (label, one value per series), bars scaled to the
/// largest total; a value above zero is never drawn narrower than 2 units.
pub fn bar_chart(
    id: &str,
    title: &str,
    series: &[(&'static str, &'static str)],
    rows: Vec<(String, Vec<u32>)>,
) -> Chart {
    let max = rows.iter().map(|(_, v)| v.iter().sum::<u32>()).max().unwrap_or(0).max(1);
    let row = if series.len() > 1 { STACKED_ROW } else { ROW };
    let bars = rows
        .into_iter()
        .enumerate()
        .map(|(i, (label, values))| {
            let top = i as u32 * row;
            let parts = if series.len() > 1 {
                values
                    .iter()
                    .zip(series)
                    .filter(|(v, _)| **v > 0)
                    .map(|(v, (_, zh))| format!("{zh} {v}"))
                    .collect::<Vec<_>>()
                    .join(" · ")
            } else {
                String::new()
            };
            let mut x = 0;
            let segments = values
                .iter()
                .zip(series)
                .filter(|(v, _)| **v > 0)
                .map(|(v, (class, zh))| {
                    let width = (v * BAR_MAX / max).max(2);
                    let s = Segment { x, width, value: *v, class, zh };
                    x += width;
                    s
                })
                .collect();
            Bar {
                label,
                total: values.iter().sum(),
                label_y: top + 14,
                bar_y: top + 20,
                value_x: x + 6,
                value_y: top + 31,
                parts_y: top + 50,
                parts,
                segments,
            }
        })
        .collect::<Vec<_>>();
    Chart {
        id: id.to_string(),
        title: title.to_string(),
        width: WIDTH,
        height: (bars.len() as u32 * row).max(row),
        series: series.iter().map(|(class, zh)| Series { class, zh }).collect(),
        bars,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_total_and_stack() {
        let c = bar_chart(
            "v",
            "走访",
            &[("done", "已完成"), ("due", "待走访")],
            vec![("一支部".into(), vec![10, 10]), ("二支部".into(), vec![5, 0])],
        );
        assert_eq!(c.bars[0].segments.len(), 2);
        assert_eq!(c.bars[0].segments[0].width + c.bars[0].segments[1].width, BAR_MAX);
        assert_eq!(c.bars[0].segments[1].x, c.bars[0].segments[0].width);
        assert_eq!(c.bars[1].segments.len(), 1, "zero values draw nothing");
        assert_eq!(c.bars[1].total, 5);
        assert!(c.bars[1].label_y > c.bars[0].parts_y);
        assert_eq!(c.height, 2 * STACKED_ROW);
        assert_eq!(c.bars[0].parts, "已完成 10 · 待走访 10");
        assert_eq!(c.bars[1].parts, "已完成 5", "only the parts drawn");
    }

    #[test]
    fn small_values_stay_visible() {
        let c = bar_chart("a", "a", &[("n", "人数")], vec![("大".into(), vec![1000]), ("小".into(), vec![1])]);
        assert_eq!(c.bars[1].segments[0].width, 2);
    }
}
