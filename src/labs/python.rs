//! The Python scripts the labs mirror live upstream, in the books' example repositories;
//! this project links to them at a pinned commit and fetches the text when the reader
//! opens the panel — no book code is copied here.

/// A book's example-code repository on GitHub.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Book {
    /// *Fluent Python*, 2nd ed. (MIT).
    FluentPython2e,
    /// *Fluent Python*, 1st ed. (MIT).
    FluentPython1e,
    /// *Expert Python Programming*, 4th ed.
    ExpertPython4e,
}

impl Book {
    pub fn repo(self) -> &'static str {
        match self {
            Book::FluentPython2e => "fluentpython/example-code-2e",
            Book::FluentPython1e => "fluentpython/example-code",
            Book::ExpertPython4e => "PacktPublishing/Expert-Python-Programming-Fourth-Edition",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Book::FluentPython2e => "Fluent Python, 2nd ed.",
            Book::FluentPython1e => "Fluent Python, 1st ed.",
            Book::ExpertPython4e => "Expert Python Programming, 4th ed.",
        }
    }
}

/// One upstream script: where it is, at which commit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Script {
    pub book: Book,
    /// The path in the repository.
    pub path: &'static str,
    /// The commit the link is pinned to.
    pub commit: &'static str,
}

impl Script {
    /// The file's name: the path's last part.
    pub fn file_name(&self) -> &'static str {
        self.path.rsplit('/').next().unwrap_or(self.path)
    }

    /// The file's page on GitHub, at the pinned commit.
    pub fn page_url(&self) -> String {
        format!(
            "https://github.com/{}/blob/{}/{}",
            self.book.repo(),
            self.commit,
            encode_path(self.path)
        )
    }

    /// The raw text, fetched when the reader opens the panel.
    pub fn raw_url(&self) -> String {
        format!(
            "https://raw.githubusercontent.com/{}/{}/{}",
            self.book.repo(),
            self.commit,
            encode_path(self.path)
        )
    }
}

/// Percent-encodes what a path segment may not hold as is (Packt's folders have spaces).
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

const fn fp2(path: &'static str, commit: &'static str) -> Script {
    Script {
        book: Book::FluentPython2e,
        path,
        commit,
    }
}

const fn fp1(path: &'static str, commit: &'static str) -> Script {
    Script {
        book: Book::FluentPython1e,
        path,
        commit,
    }
}

const fn epp4(path: &'static str, commit: &'static str) -> Script {
    Script {
        book: Book::ExpertPython4e,
        path,
        commit,
    }
}

// Expert Python Programming 4e, chapter 6: the rates fetchers.
pub const RATES_SYNCHRONOUS: Script = epp4(
    "Chapter 6/02 - An example of a threaded application/synchronous.py",
    "78763d62b417d6b05ccb118d53d751dfa2a66d17",
);
pub const RATES_ONE_THREAD_PER_ITEM: Script = epp4(
    "Chapter 6/03 - Using one thread per item/one_thread_per_item.py",
    "78763d62b417d6b05ccb118d53d751dfa2a66d17",
);
pub const RATES_THREAD_POOL: Script = epp4(
    "Chapter 6/04 - Using a thread pool/thread_pool.py",
    "78763d62b417d6b05ccb118d53d751dfa2a66d17",
);
pub const RATES_TWO_WAY_QUEUES: Script = epp4(
    "Chapter 6/05 - Using two-way queues/two_way_queues.py",
    "78763d62b417d6b05ccb118d53d751dfa2a66d17",
);
pub const RATES_ERROR_HANDLING: Script = epp4(
    "Chapter 6/06 - Dealing with errors in threads/error_handling.py",
    "78763d62b417d6b05ccb118d53d751dfa2a66d17",
);
pub const RATES_THROTTLING: Script = epp4(
    "Chapter 6/07 - Throttling/throttling.py",
    "96dade3f07073eee80870af1bb6d019da79ed35f",
);
pub const RATES_PROCESS_POOLS: Script = epp4(
    "Chapter 6/10 - Using process pools/process_pools.py",
    "245b329b01fc1207779e23d340068a01a561da9d",
);
pub const RATES_MULTIPROCESSING_DUMMY: Script = epp4(
    "Chapter 6/11 - Using multiprocessing.dummy as the multithreading interface/multiprocessing_dummy.py",
    "245b329b01fc1207779e23d340068a01a561da9d",
);
pub const RATES_ASYNC_AIOHTTP: Script = epp4(
    "Chapter 6/13 - A practical example of asynchronous programming/async_aiohttp.py",
    "4dbd1a2b0e230adf50a61ff02fe5e9ca5228009c",
);
pub const RATES_ASYNC_FUTURES: Script = epp4(
    "Chapter 6/14 - Integrating non-asynchronous code with async using futures/async_futures.py",
    "78763d62b417d6b05ccb118d53d751dfa2a66d17",
);

// Expert Python Programming 4e, chapter 6: threads' shared memory, processes, asyncio basics.
pub const THREAD_VISITS: Script = epp4(
    "Chapter 6/01 - What is multithreading/thread_visits.py",
    "c272cfe7105cf6d968505bcc5ec49b0320fa3dc8",
);
pub const THREAD_SAFE_VISITS: Script = epp4(
    "Chapter 6/01 - What is multithreading/thread_safe_visits.py",
    "c272cfe7105cf6d968505bcc5ec49b0320fa3dc8",
);
pub const FORKS: Script = epp4(
    "Chapter 6/08 - Multiprocessing/forks.py",
    "78763d62b417d6b05ccb118d53d751dfa2a66d17",
);
pub const BASIC_MULTIPROCESSING: Script = epp4(
    "Chapter 6/09 - The built-in multiprocessing module/basic_multiprocessing.py",
    "4dbd1a2b0e230adf50a61ff02fe5e9ca5228009c",
);
pub const PIPES: Script = epp4(
    "Chapter 6/09 - The built-in multiprocessing module/pipes.py",
    "4dbd1a2b0e230adf50a61ff02fe5e9ca5228009c",
);
pub const SHAREDCTYPES: Script = epp4(
    "Chapter 6/09 - The built-in multiprocessing module/sharedctypes.py",
    "4dbd1a2b0e230adf50a61ff02fe5e9ca5228009c",
);
pub const ASYNC_PRINT: Script = epp4(
    "Chapter 6/12 - Python async and await keywords/async_print.py",
    "c272cfe7105cf6d968505bcc5ec49b0320fa3dc8",
);
pub const WAITERS: Script = epp4(
    "Chapter 6/12 - Python async and await keywords/waiters.py",
    "4dbd1a2b0e230adf50a61ff02fe5e9ca5228009c",
);
pub const WAITERS_AWAIT: Script = epp4(
    "Chapter 6/12 - Python async and await keywords/waiters_await.py",
    "2ea176bf7aa0ac031b8d9118f521f0bda24ddce1",
);

// Fluent Python 2e, chapter 19. spinner_async.py, spinner_thread.py and
// spinner_prime_async_broken.py are pinned at the commit their sibling scripts are.
pub const SPINNER_ASYNC: Script = fp2(
    "19-concurrency/spinner_async.py",
    "4ae4096c4cb8848d0c1dcf24ff2cb7efb72e3b2b",
);
pub const SPINNER_ASYNC_EXPERIMENT: Script = fp2(
    "19-concurrency/spinner_async_experiment.py",
    "4ae4096c4cb8848d0c1dcf24ff2cb7efb72e3b2b",
);
pub const SPINNER_PRIME_ASYNC_BROKEN: Script = fp2(
    "19-concurrency/primes/spinner_prime_async_broken.py",
    "4ae4096c4cb8848d0c1dcf24ff2cb7efb72e3b2b",
);
pub const SPINNER_PRIME_ASYNC_NAP: Script = fp2(
    "19-concurrency/primes/spinner_prime_async_nap.py",
    "ade9577a55f1337ee5ca2b85d40f8eafc161d648",
);
pub const SPINNER_THREAD: Script = fp2(
    "19-concurrency/spinner_thread.py",
    "4ae4096c4cb8848d0c1dcf24ff2cb7efb72e3b2b",
);
pub const SPINNER_PROC: Script = fp2(
    "19-concurrency/spinner_proc.py",
    "4ae4096c4cb8848d0c1dcf24ff2cb7efb72e3b2b",
);
pub const SEQUENTIAL: Script = fp2(
    "19-concurrency/primes/sequential.py",
    "4ae4096c4cb8848d0c1dcf24ff2cb7efb72e3b2b",
);
pub const THREADS: Script = fp2(
    "19-concurrency/primes/threads.py",
    "4f4f759229cca84b10170809607849f463891358",
);
pub const PROCS: Script = fp2(
    "19-concurrency/primes/procs.py",
    "e3ee75adbb119384ab1678ffab8f29f642e20909",
);

// Fluent Python 2e, chapter 20. proc_pool.py is pinned at the commit of flags.py.
pub const PROC_POOL: Script = fp2(
    "20-executors/primes/proc_pool.py",
    "e3ee75adbb119384ab1678ffab8f29f642e20909",
);
pub const FLAGS: Script = fp2(
    "20-executors/getflags/flags.py",
    "e3ee75adbb119384ab1678ffab8f29f642e20909",
);
pub const FLAGS_ASYNCIO: Script = fp2(
    "20-executors/getflags/flags_asyncio.py",
    "80f7f84274a47579e59c29a4657691525152c9d5",
);
pub const FLAGS2_ASYNCIO: Script = fp2(
    "20-executors/getflags/flags2_asyncio.py",
    "5d6b15604782c715c85236d6de30b90add3f8d32",
);
pub const FLAGS3_ASYNCIO: Script = fp2(
    "20-executors/getflags/flags3_asyncio.py",
    "80f7f84274a47579e59c29a4657691525152c9d5",
);

// Fluent Python 1e, chapter 17.
pub const ARCFOUR_FUTURES: Script = fp1(
    "17-futures/crypto/arcfour_futures.py",
    "290079ec9a3a6c53d542d0379cacd405587226ea",
);
pub const SHA_FUTURES: Script = fp1(
    "17-futures/crypto/sha_futures.py",
    "290079ec9a3a6c53d542d0379cacd405587226ea",
);
pub const DEMO_EXECUTOR_MAP: Script = fp1(
    "17-futures-py3.7/demo_executor_map.py",
    "eeb6b3d4985eadb574ef59900a35f2e5d2952b7d",
);
pub const FLAGS_THREADPOOL_AC: Script = fp1(
    "17-futures/countries/flags_threadpool_ac.py",
    "f86aee27859fb6a3c4e6a94abfc61839d408e42d",
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_pinned_and_encoded() {
        assert_eq!(SPINNER_PROC.file_name(), "spinner_proc.py");
        assert_eq!(
            SPINNER_PROC.page_url(),
            "https://github.com/fluentpython/example-code-2e/blob/\
             4ae4096c4cb8848d0c1dcf24ff2cb7efb72e3b2b/19-concurrency/spinner_proc.py"
        );
        assert_eq!(
            FLAGS_THREADPOOL_AC.raw_url(),
            "https://raw.githubusercontent.com/fluentpython/example-code/\
             f86aee27859fb6a3c4e6a94abfc61839d408e42d/17-futures/countries/flags_threadpool_ac.py"
        );
        let packt = Script {
            book: Book::ExpertPython4e,
            path: "Chapter 6/07 - Throttling/throttling.py",
            commit: "96dade3f07073eee80870af1bb6d019da79ed35f",
        };
        assert!(
            packt
                .raw_url()
                .ends_with("/Chapter%206/07%20-%20Throttling/throttling.py")
        );
        for script in [
            SPINNER_ASYNC,
            SPINNER_ASYNC_EXPERIMENT,
            SPINNER_PRIME_ASYNC_BROKEN,
            SPINNER_PRIME_ASYNC_NAP,
            SPINNER_THREAD,
            SEQUENTIAL,
            PROCS,
            PROC_POOL,
            FLAGS,
            FLAGS_ASYNCIO,
            FLAGS2_ASYNCIO,
            FLAGS3_ASYNCIO,
            DEMO_EXECUTOR_MAP,
        ] {
            assert_eq!(script.commit.len(), 40);
            assert!(script.commit.bytes().all(|b| b.is_ascii_hexdigit()));
            assert!(script.path.ends_with(".py"));
        }
    }
}
