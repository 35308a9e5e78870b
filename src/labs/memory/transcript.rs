//! What the chapter's scripts print, line by line, in their formats.

use crate::pyfmt::{plural, repr_float};
use crate::runtime::ports::{CUSTOM_CLASS, PipeItem};

/// `thread_count=100, thread_visits=7234223` (`print(f"{thread_count=}, {thread_visits=}")`).
pub fn visits_line(thread_count: usize, thread_visits: u64) -> String {
    format!("thread_count={thread_count}, thread_visits={thread_visits}")
}

/// `[9303, 9304]`: a Python list of ints.
pub fn int_list<T: std::fmt::Display>(items: &[T]) -> String {
    let items: Vec<String> = items.iter().map(ToString::to_string).collect();
    format!("[{}]", items.join(", "))
}

/// The parent's lines after the fork, `PRNT: …`.
pub fn parent_lines(child_pid: u32, pids: &[u32]) -> [String; 3] {
    [
        "PRNT: hey, I am the parent process".to_string(),
        format!("PRNT: the child pid is {child_pid}"),
        format!("PRNT: all the pids I know {}", int_list(pids)),
    ]
}

/// The child's lines, `CHLD: …`, from the list the child sent back.
pub fn child_lines(pids: &[u32]) -> [String; 2] {
    [
        "CHLD: hey, I am the child process".to_string(),
        format!("CHLD: all the pids I know {}", int_list(pids)),
    ]
}

/// `Hey, I am the process 3, pid: 9307`.
pub fn hello_line(identifier: u32, pid: u32) -> String {
    format!("Hey, I am the process {identifier}, pid: {pid}")
}


/// The item as the parent prints it: Python's `str()` of the value sent.
pub fn item_text(item: PipeItem) -> String {
    match item {
        PipeItem::Int => "42".to_string(),
        PipeItem::Str => "some string".to_string(),
        PipeItem::Dict => "{'one': 1}".to_string(),
        PipeItem::Instance => format!("<{CUSTOM_CLASS} object>"),
        PipeItem::None => "None".to_string(),
        PipeItem::Function => "<function work>".to_string(),
    }
}

/// The book's items, in the order it sends them (`None` last: the child stops there).
pub const PIPE_ITEMS: [PipeItem; 5] = [
    PipeItem::Int,
    PipeItem::Str,
    PipeItem::Dict,
    PipeItem::Instance,
    PipeItem::None,
];

/// `PRNT: send: 42`.
pub fn send_line(item: PipeItem) -> String {
    format!("PRNT: send: {}", item_text(item))
}

/// `CHLD: recv: {}` (the child's `str()` of what it got), with the class the child saw
/// when it is not the one sent.
pub fn recv_line(shown: &str, class: &str, sent: Option<PipeItem>) -> String {
    match sent {
        Some(PipeItem::Instance) if class != CUSTOM_CLASS => format!(
            "CHLD: recv: {shown}  # a copy whose class is {class}: {CUSTOM_CLASS}'s prototype did not travel"
        ),
        _ => format!("CHLD: recv: {shown}"),
    }
}

/// The attempt to send what cannot be copied, and what the browser said.
pub fn clone_error_lines(error: &str) -> [String; 2] {
    [
        format!("PRNT: send: {}", item_text(PipeItem::Function)),
        format!(
            "{}  # structured cloning copies data, never code: a function cannot be sent",
            one_line_error(error)
        ),
    ]
}

/// The browser's exception on one line: a function's source it quotes is cut to `{…}`.
fn one_line_error(error: &str) -> String {
    match (error.find('{'), error.rfind('}')) {
        (Some(open), Some(close)) if open < close && error[open..close].contains('\n') => {
            format!("{}{{…}}{}", &error[..open], &error[close + 1..])
        }
        _ => error.replace('\n', " "),
    }
}

/// The value `sharedctypes`' child stores: the book's literal, not `PI`.
#[allow(clippy::approx_constant)]
pub const PI_ISH: f64 = 3.1415927;

/// `3.1415927` then `[0, -1, -2, …]`: `print(num.value)`, `print(arr[:])`.
pub fn sharedctypes_lines(value: f64, array: &[i32]) -> [String; 2] {
    [repr_float(value), int_list(array)]
}

/// The unpolled future, as Python shows a coroutine object: its type, size and address.
pub fn future_line(type_name: &str, bytes: usize, address: usize) -> String {
    format!(
        "<future {} ({}) at {address:#x}: not polled, nothing ran>",
        type_name,
        plural(bytes, "byte", "bytes")
    )
}

pub const HELLO_WORLD: &str = "hello world!";

/// `first waited 0.25 seconds`.
pub fn waited_line(name: &str, seconds: f64) -> String {
    format!("{name} waited {} seconds", repr_float(seconds))
}

/// The shell's `time`: `real\t0m2.589s`.
pub fn real_line(elapsed_ms: f64) -> String {
    let millis = elapsed_ms.max(0.0).round() as u64;
    let (minutes, rest) = (millis / 60_000, millis % 60_000);
    format!("real\t{minutes}m{}.{:03}s", rest / 1000, rest % 1000)
}


/// The Stop button's explanation while the page is frozen by `time.sleep`.
pub const BLOCKING_STOP_NOTE: &str = "Stop cannot interrupt time.sleep: the busy loop holds the only \
    thread that could handle the click. The page stays frozen until both waiters are done.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_books_lines() {
        assert_eq!(visits_line(100, 7_234_223), "thread_count=100, thread_visits=7234223");
        assert_eq!(
            parent_lines(9304, &[9303, 9303]),
            [
                "PRNT: hey, I am the parent process",
                "PRNT: the child pid is 9304",
                "PRNT: all the pids I know [9303, 9303]",
            ]
        );
        assert_eq!(
            child_lines(&[9303, 9304]),
            ["CHLD: hey, I am the child process", "CHLD: all the pids I know [9303, 9304]"]
        );
        assert_eq!(hello_line(3, 9307), "Hey, I am the process 3, pid: 9307");
        let sent: Vec<String> = PIPE_ITEMS.iter().map(|&i| send_line(i)).collect();
        assert_eq!(
            sent,
            [
                "PRNT: send: 42",
                "PRNT: send: some string",
                "PRNT: send: {'one': 1}",
                "PRNT: send: <CustomClass object>",
                "PRNT: send: None",
            ]
        );
        assert_eq!(
            sharedctypes_lines(PI_ISH, &[0, -1, -2]),
            ["3.1415927", "[0, -1, -2]"]
        );
        assert_eq!(waited_line("first", 0.25), "first waited 0.25 seconds");
        assert_eq!(waited_line("second", 0.5), "second waited 0.5 seconds");
        assert_eq!(int_list::<u32>(&[]), "[]");
    }

    #[test]
    fn the_child_shows_what_it_received() {
        assert_eq!(recv_line("42", "Number", Some(PipeItem::Int)), "CHLD: recv: 42");
        assert_eq!(
            recv_line("some string", "String", Some(PipeItem::Str)),
            "CHLD: recv: some string"
        );
        assert_eq!(recv_line("{'one': 1}", "Object", Some(PipeItem::Dict)), "CHLD: recv: {'one': 1}");
        let copy = recv_line("{}", "Object", Some(PipeItem::Instance));
        assert!(copy.starts_with("CHLD: recv: {}  # a copy whose class is Object"), "{copy}");
        assert_eq!(
            recv_line("<CustomClass object>", CUSTOM_CLASS, Some(PipeItem::Instance)),
            "CHLD: recv: <CustomClass object>"
        );
        assert_eq!(
            one_line_error("DataCloneError: Failed: (...args) => {\n  // body\n  f();\n} could not be cloned."),
            "DataCloneError: Failed: (...args) => {…} could not be cloned."
        );
        assert_eq!(one_line_error("a\nb {x}"), "a b {x}");
        let [send, error] = clone_error_lines("DataCloneError: could not be cloned.");
        assert_eq!(send, "PRNT: send: <function work>");
        assert!(error.starts_with("DataCloneError: could not be cloned.  # "));
    }

    #[test]
    fn time_prints_real_like_the_shell() {
        assert_eq!(real_line(2589.0), "real\t0m2.589s");
        assert_eq!(real_line(4337.4), "real\t0m4.337s");
        assert_eq!(real_line(62_003.0), "real\t1m2.003s");
        assert_eq!(real_line(5.0), "real\t0m0.005s");
        assert_eq!(real_line(-1.0), "real\t0m0.000s");
    }

    #[test]
    fn the_unpolled_future() {
        assert_eq!(
            future_line("memory::async_hello::{{closure}}", 16, 0x10a4c8),
            "<future memory::async_hello::{{closure}} (16 bytes) at 0x10a4c8: not polled, nothing ran>"
        );
    }
}
