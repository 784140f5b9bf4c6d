//! The one error type a command returns up to `main`, which prints it once
//! and maps it to the exit code: 1 for the data or the run, 2 for the
//! command line.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The problems were listed above (data errors, template or render
    /// errors); this is the closing line, printed as it is. Exit 1.
    Reported(String),
    /// A run's problems (a document that did not render, a file that could
    /// not be written), each a line, and the closing line. Exit 1.
    Problems(Vec<String>, String),
    /// A run-time failure: a file that cannot be read or written, a
    /// template missing. Printed as "错误: …". Exit 1.
    Failed(String),
    /// The command line asks for something that cannot be. Exit 2.
    Usage(String),
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Reported(_) | Error::Problems(..) | Error::Failed(_) => 1,
            Error::Usage(_) => 2,
        }
    }

    /// Print it on stderr, once (nothing for an empty closing line).
    pub fn print(&self) {
        let text = self.to_string();
        if !text.is_empty() {
            eprintln!("{text}");
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Reported(s) => write!(f, "{s}"),
            Error::Problems(problems, closing) => {
                for p in problems {
                    writeln!(f, "{p}")?;
                }
                write!(f, "{closing}")
            }
            Error::Failed(s) | Error::Usage(s) => write!(f, "错误: {s}"),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_and_words() {
        assert_eq!(Error::Usage("没有“x”这个节日".into()).exit_code(), 2);
        assert_eq!(Error::Failed("无法写入 a".into()).to_string(), "错误: 无法写入 a");
        assert_eq!(Error::Reported("数据有错误".into()).to_string(), "数据有错误");
        assert_eq!(Error::Reported(String::new()).exit_code(), 1);
        let e = Error::Problems(vec!["错误: 无法写入 a".into(), "错误: 无法写入 b".into()], "生成失败".into());
        assert_eq!((e.to_string().as_str(), e.exit_code()), ("错误: 无法写入 a\n错误: 无法写入 b\n生成失败", 1));
    }
}
