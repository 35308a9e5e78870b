//! The lab's options: which script runs, how loiter collects its results, and which
//! flag server the flags demo downloads from.

use crate::labs::choice::choices;
use crate::labs::flags;
use crate::labs::python::{self, Script};

choices! {
    /// Which script the lab runs.
    pub enum Demo: "Demo" {
        Loiter = "loiter" => "loiter — demo_executor_map.py: map vs as_completed on sleeping jobs",
        FlagsAc = "flags_threadpool_ac" => "flags_threadpool_ac — submit + as_completed, showing the futures",
    }
}

choices! {
    /// How the loiter demo collects its results.
    pub enum Collect: "Collect with" {
        Map = "map" => "map — results in submission order",
        AsCompleted = "as_completed" => "submit + as_completed — results in completion order",
    }
}

choices! {
    /// The flag server the flags demo downloads from.
    pub enum Server: "Server" {
        Local = "LOCAL" => "LOCAL — answers at once",
        Delay = "DELAY" => "DELAY — every answer delayed by the server",
    }
}

impl Demo {
    /// The reference script the demo mirrors.
    pub fn python_reference(self) -> Script {
        match self {
            Demo::Loiter => python::DEMO_EXECUTOR_MAP,
            Demo::FlagsAc => python::FLAGS_THREADPOOL_AC,
        }
    }

    /// What actually runs in the browser when this demo is picked.
    pub fn browser_explanation(self) -> &'static str {
        match self {
            Demo::Loiter => {
                "Each loiter(n) is an async job on the page's event loop: it awaits a setTimeout \
                 sleep of n seconds × the time scale. The executor has Max workers slots — the \
                 pool's threads: a job runs once it holds a slot, and a job that ends hands its \
                 slot to the oldest pending one. With map, every job is submitted at once and the \
                 results are yielded in submission order, so a slow job holds back every result \
                 behind it, finished or not (compare Ended and Delivered in the table); an error \
                 surfaces when the loop reaches it, ends the loop and cancels the jobs still \
                 pending. With as_completed, each future is yielded as soon as it is done."
            }
            Demo::FlagsAc => {
                "download_one(cc) fetches the flag with fetch() from the playground's flag server \
                 (LOCAL answers at once; DELAY waits before answering), as a job of an executor \
                 with Max workers slots. Right after each submit the script prints the future: the \
                 first Max workers got a slot and are running, the rest are pending. as_completed \
                 then yields each future as it finishes."
            }
        }
    }
}

impl Server {
    /// The flags lab's server of the same name, which builds the URLs.
    pub fn flag_server(self) -> flags::Server {
        match self {
            Server::Local => flags::Server::Local,
            Server::Delay => flags::Server::Delay,
        }
    }

    /// DELAY lives in the page's service worker, which must control the page first.
    pub fn needs_service_worker(self) -> bool {
        self == Server::Delay
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labs::choice::Choice;

    #[test]
    fn every_demo_has_a_reference_and_an_explanation() {
        for &demo in Demo::ALL {
            assert_eq!(Demo::parse(demo.key()), Some(demo));
            assert!(demo.label().starts_with(demo.key()));
            assert!(demo.python_reference().path.ends_with(".py"));
            assert!(!demo.browser_explanation().is_empty());
        }
        assert_eq!(Server::parse("delay"), Some(Server::Delay), "as --server");
        assert_eq!(Server::Delay.flag_server(), flags::Server::Delay);
        assert!(!Server::Local.needs_service_worker());
    }
}
