//! `tuiguan serve`: the clerk's desk. A web page on the clerk's own PC, at
//! `http://127.0.0.1:PORT/`, over the same plain files: it lists the
//! members, shows one member's whole record, records a visit (with the
//! 三问) or a contact as a careful clerk would type it into the member
//! file, shows the change before it is made, writes it through the
//! import's exact writer, keeps an 操作记录 that takes changes back to the
//! exact bytes, and prints a member's information card.
//!
//! Safe on a shared PC: it listens on loopback only; the Host header must
//! name it (a page elsewhere cannot reach it by DNS rebinding); every
//! state-changing request is a POST carrying this process's random token;
//! pages cannot be framed and send no CORS headers; no file path is ever
//! taken from a request (a member is found by id among the loaded ones).

mod branch_dues;
pub mod departure;
pub mod edit;
pub mod forms;
mod http;
pub mod item_fields;
pub mod log;
mod member_form;
mod pages;
mod print;
mod verify;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::NaiveDate;

use crate::error::Error;

/// The desk's default port: free on an office PC (no common service uses it).
pub const PORT: u16 = 8470;

/// What the desk was started with.
pub struct Desk {
    pub data: PathBuf,
    pub out: PathBuf,
    /// `--as-of`, else each request's today.
    pub as_of: Option<NaiveDate>,
    /// This process's random token, in every form.
    pub token: String,
    /// The port it listens on (the Host header must name it).
    pub port: u16,
    pub log: log::Log,
    pub pages: pages::Pages,
    /// The office as last loaded, and the state of the data folder's
    /// files it was loaded from (see [`Desk::loaded`]).
    cache: std::sync::Mutex<Option<(u128, Arc<crate::office::Office>, usize)>>,
    /// The papers the print panel made last, each served by its place in
    /// this list (never by a path from the request).
    /// (A paper's number is its place here: the same file, the same number.)
    pub printed: std::sync::Mutex<Vec<(String, PathBuf)>>,
}

impl Desk {
    /// The office as the data folder holds it now, and how many errors it
    /// has. Loaded again only when a file of the folder was added, removed
    /// or changed (its size or time) since: at 10,000 members a load takes
    /// a few hundred milliseconds, a look at every file's state a few tens.
    pub fn loaded(&self) -> (Option<Arc<crate::office::Office>>, usize) {
        let state = folder_state(&self.data);
        let mut cache = self.cache.lock().unwrap();
        if let Some((s, office, errors)) = cache.as_ref()
            && *s == state
        {
            return (Some(office.clone()), *errors);
        }
        let (office, diags) = crate::load::load(&self.data);
        let errors = diags.count(crate::diag::Severity::Error);
        let office = office.map(Arc::new);
        *cache = office.clone().map(|o| (state, o, errors));
        (office, errors)
    }

    /// After the desk wrote `file` (a member's): that member read again in
    /// the office held, not the whole folder, so the page after a save
    /// answers as fast as any other.
    pub fn wrote(&self, file: &Path) {
        let mut cache = self.cache.lock().unwrap();
        let Some((_, office, errors)) = cache.as_ref() else { return };
        let Ok(text) = std::fs::read_to_string(file) else { return *cache = None };
        let Some(member) = departure::read_back(file, &text).ok() else { return *cache = None };
        let mut office = crate::office::Office::clone(office);
        match office.members.iter_mut().find(|m| m.file == file) {
            Some(m) => *m = member,
            None => return *cache = None,
        }
        let errors = *errors;
        *cache = Some((folder_state(&self.data), Arc::new(office), errors));
    }

    pub fn today(&self) -> NaiveDate {
        self.as_of.unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}

/// A digest of every data file's path, size and modification time
/// (tuiguan's own files left out).
fn folder_state(data: &Path) -> u128 {
    let mut d = crate::manifest::Digest::default();
    for e in crate::load::walk_data(data).flatten() {
        if let Ok(m) = e.metadata()
            && m.is_file()
        {
            let time = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).unwrap_or_default();
            d.update(e.path().as_os_str().as_encoded_bytes());
            d.update(&m.len().to_le_bytes()).update(&time.as_nanos().to_le_bytes());
        }
    }
    d.value()
}

fn token() -> Result<String, Error> {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).map_err(|e| Error::Failed(format!("无法生成随机令牌：{e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Run the desk until Ctrl-C.
pub fn serve(data: &Path, out: &Path, port: u16, open: bool, as_of: Option<NaiveDate>) -> Result<(), Error> {
    if !data.join("org.yaml").is_file() {
        return Err(Error::Usage(format!(
            "{} 不是数据文件夹（里面没有 org.yaml）；用 --data 指定，或先运行 tuiguan init",
            data.display()
        )));
    }
    // One writer at a time: a second desk or an `import --write` is told who holds it.
    let _lock = crate::lock::Lock::acquire(&data.join(".tuiguan-lock"), &format!("用工作台管理 {}", data.display()))
        .map_err(Error::Failed)?;
    let server = tiny_http::Server::http(("127.0.0.1", port)).map_err(|e| {
        Error::Failed(format!(
            "无法在 127.0.0.1:{port} 上启动工作台（{e}）；端口可能被占用，请用 --port 换一个，例如 --port 8471"
        ))
    })?;
    let port = server.server_addr().to_ip().map_or(port, |a| a.port());
    let desk = Desk {
        data: data.to_path_buf(),
        out: out.to_path_buf(),
        as_of,
        token: token()?,
        port,
        log: log::Log::new(data),
        pages: pages::Pages::new().map_err(Error::Failed)?,
        cache: std::sync::Mutex::new(None),
        printed: std::sync::Mutex::new(Vec::new()),
    };
    let url = format!("http://127.0.0.1:{port}/");
    // The first line says where: the tests read the port from it.
    println!("退管工作台已启动：{url}");
    eprintln!("    数据文件夹 {}，输出文件夹 {}。只有本机能打开；用完按 Ctrl-C 停止。", data.display(), out.display());
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst))
            .map_err(|e| Error::Failed(format!("无法接管 Ctrl-C：{e}")))?;
    }
    if open {
        open_browser(&url);
    }
    while !stop.load(Ordering::SeqCst) {
        match server.recv_timeout(Duration::from_millis(200)) {
            Ok(Some(request)) => http::answer(&desk, request),
            Ok(None) => {}
            Err(e) => eprintln!("警告: 读取请求出错：{e}"),
        }
    }
    eprintln!("工作台已停止。");
    Ok(())
}

/// The default browser, as the desktop opens a link.
fn open_browser(url: &str) {
    #[cfg(windows)]
    let spawned = std::process::Command::new("cmd").args(["/C", "start", "", url]).spawn();
    #[cfg(target_os = "macos")]
    let spawned = std::process::Command::new("open").arg(url).spawn();
    #[cfg(all(unix, not(target_os = "macos")))]
    let spawned = std::process::Command::new("xdg-open")
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if spawned.is_err() {
        eprintln!("提示: 没能自动打开浏览器，请手工打开 {url}");
    }
}
