//! The virtual runtime's shared memory and pipes: what the page shares with its virtual
//! workers, and what structured cloning gives a worker through a pipe.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::mpsc;

use super::VirtualClock;
use crate::runtime::lock::Words;
use crate::runtime::ports::{Pipe, PipeItem, SharedMemory, WorkerEvent};
use crate::worker_protocol::FromWorker;

/// Memory the virtual page shares with its virtual workers: the bytes, and the workers
/// parked on a word until the page notifies it. The workers run one at a time, so the lock
/// is never found held and no update is lost.
#[derive(Clone, Default)]
pub struct VirtualMemory(Rc<MemoryState>);

type Parked = Box<dyn FnOnce(&VirtualMemory)>;

#[derive(Default)]
struct MemoryState {
    bytes: RefCell<Vec<u8>>,
    parked: RefCell<Vec<(u32, Parked)>>,
}

impl VirtualMemory {
    pub(super) fn new(bytes: u32) -> VirtualMemory {
        let state = MemoryState {
            bytes: RefCell::new(vec![0; bytes as usize]),
            parked: RefCell::default(),
        };
        VirtualMemory(Rc::new(state))
    }

    fn word(&self, index: u32) -> i32 {
        let at = index as usize * 4;
        let bytes = self.0.bytes.borrow();
        i32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
    }

    fn set_word(&self, index: u32, value: i32) {
        let at = index as usize * 4;
        self.0.bytes.borrow_mut()[at..at + 4].copy_from_slice(&value.to_le_bytes());
    }

    /// Runs `then` once the page notifies word `index` (`Atomics.wait`).
    pub(super) fn park(&self, index: u32, then: impl FnOnce(&VirtualMemory) + 'static) {
        self.0.parked.borrow_mut().push((index, Box::new(then)));
    }
}

impl SharedMemory for VirtualMemory {
    fn notify_all(&self, index: u32) {
        let parked = std::mem::take(&mut *self.0.parked.borrow_mut());
        let (woken, still): (Vec<_>, Vec<_>) = parked.into_iter().partition(|(i, _)| *i == index);
        self.0.parked.borrow_mut().extend(still);
        for (_, then) in woken {
            then(self);
        }
    }
    fn get_f64(&self, index: u32) -> f64 {
        let at = index as usize * 8;
        let bytes = self.0.bytes.borrow();
        f64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"))
    }
    fn set_f64(&self, index: u32, value: f64) {
        let at = index as usize * 8;
        self.0.bytes.borrow_mut()[at..at + 8].copy_from_slice(&value.to_le_bytes());
    }
}

impl Words for VirtualMemory {
    fn read(&self, index: u32) -> i32 {
        self.word(index)
    }
    fn write(&self, index: u32, value: i32) {
        self.set_word(index, value);
    }
    fn load(&self, index: u32) -> i32 {
        self.word(index)
    }
    fn store(&self, index: u32, value: i32) {
        self.set_word(index, value);
    }
    fn add(&self, index: u32, value: i32) -> i32 {
        let old = self.word(index);
        self.set_word(index, old.wrapping_add(value));
        old
    }
    fn exchange(&self, index: u32, value: i32) -> i32 {
        let old = self.word(index);
        self.set_word(index, value);
        old
    }
    fn compare_exchange(&self, index: u32, expected: i32, replacement: i32) -> i32 {
        let old = self.word(index);
        if old == expected {
            self.set_word(index, replacement);
        }
        old
    }
    fn wait(&self, index: u32, expected: i32) {
        // One virtual worker runs at a time: a wait here could never end.
        assert_ne!(
            self.word(index),
            expected,
            "a virtual worker would wait forever"
        );
    }
    fn notify(&self, _index: u32, _count: u32) {}
}

/// The page's end of a virtual pipe: what structured cloning gives the worker, by the
/// rules the browser follows (data is copied, a class's prototype is not, code is refused).
pub struct VirtualPipe {
    pub(super) clock: VirtualClock,
    pub(super) worker: usize,
    pub(super) events: mpsc::UnboundedSender<(usize, WorkerEvent)>,
}

impl Pipe for VirtualPipe {
    fn send(&self, item: PipeItem) -> Result<(), String> {
        let received = |class: &str, text: &str| FromWorker::Received {
            class: class.to_string(),
            text: text.to_string(),
        };
        let message = match item {
            PipeItem::Int => received("Number", "42"),
            PipeItem::Str => received("String", "some string"),
            PipeItem::Dict => received("Object", "{'one': 1}"),
            PipeItem::Instance => received("Object", "{}"),
            PipeItem::None => FromWorker::PipeEnded,
            PipeItem::Function => {
                return Err("DataCloneError: function could not be cloned.".to_string());
            }
        };
        let (events, worker) = (self.events.clone(), self.worker);
        self.clock.after(1.0, move || {
            let _ = events.unbounded_send((worker, WorkerEvent::Message(message)));
        });
        Ok(())
    }
}
