//! The virtual worker pool: workers that answer on the virtual clock, with the real
//! computations (is_prime, the CPU lab's jobs, the memory lab's counter) and modelled costs.

use super::*;

/// A pool whose workers answer on the virtual clock.
pub struct VirtualPool {
    pub(super) clock: VirtualClock,
    pub(super) server: Server,
    pub(super) shared_memory: bool,
    pub(super) throttle: RefCell<Option<Rc<RefCell<Throttle>>>>,
    pub(super) check_cost: Rc<dyn Fn(u64) -> f64>,
    pub(super) crash_on: Option<u64>,
    pub(super) events: mpsc::UnboundedSender<(usize, WorkerEvent)>,
    /// When each worker is free again: one check at a time, like a thread.
    pub(super) busy_until: RefCell<Vec<f64>>,
    pub(super) live_workers: Rc<RefCell<usize>>,
    pub(super) size: usize,
    pub(super) memory: RefCell<Option<VirtualMemory>>,
    pub(super) answer_ms: Rc<dyn Fn(usize) -> f64>,
    pub(super) first_pid: u32,
    pub(super) spinners: Spinners,
    pub(super) spinner_ignores_done: bool,
    pub(super) canvases: Rc<RefCell<Vec<String>>>,
}

impl VirtualPool {
    /// Answers `message` from `worker` after `ms`.
    pub(super) fn answer(&self, worker: usize, ms: f64, message: WorkerEvent) {
        let events = self.events.clone();
        self.clock.after(ms, move || {
            let _ = events.unbounded_send((worker, message));
        });
    }

    /// The memory lab's messages.
    fn memory_lab(&self, worker: usize, message: ToWorker) {
        let reply = |m: FromWorker| WorkerEvent::Message(m);
        let memory = self.memory.borrow().clone();
        let no_memory = || WorkerEvent::Failed("no shared memory came with the message".into());
        match (message, memory) {
            (ToWorker::Visits { increments, update }, Some(memory)) => {
                self.answer(worker, 0.0, reply(FromWorker::Waiting));
                let (clock, events) = (self.clock.clone(), self.events.clone());
                memory.park(visits::START, move |memory| {
                    visits::visit(memory, update, increments);
                    let cost = increments as f64 / 1000.0 * MS_PER_THOUSAND_VISITS;
                    let done = FromWorker::Visited {
                        elapsed_s: cost / 1000.0,
                    };
                    clock.after(cost, move || {
                        let _ = events.unbounded_send((worker, WorkerEvent::Message(done)));
                    });
                });
            }
            (ToWorker::SharedCtypes { length }, Some(memory)) => {
                sharedctypes::child(&memory, length);
                self.answer(worker, 1.0, reply(FromWorker::Negated));
            }
            (ToWorker::Visits { .. } | ToWorker::SharedCtypes { .. }, None) => {
                self.answer(worker, 0.0, no_memory())
            }
            (ToWorker::Fork { mut pids }, _) => {
                pids.push(self.pid(worker));
                let ms = (self.answer_ms)(worker);
                self.answer(worker, ms, reply(FromWorker::Forked { pids }));
            }
            (ToWorker::Hello { identifier }, _) => {
                let pid = self.pid(worker);
                let ms = (self.answer_ms)(worker);
                self.answer(worker, ms, reply(FromWorker::Hello { identifier, pid }));
            }
            (other, _) => self.answer(
                worker,
                0.0,
                WorkerEvent::Failed(format!("a virtual worker cannot {other:?}")),
            ),
        }
    }

    /// A blocking GET in `worker` from `at` (virtual ms): waits for a token first if
    /// `throttle` is given, polling every 100 ms like the book's workers.
    fn get(&self, worker: usize, id: u32, url: String, throttle: Option<Rc<RefCell<Throttle>>>) {
        let (clock, server, events) =
            (self.clock.clone(), self.server.clone(), self.events.clone());
        let send = move |message: FromWorker| {
            let _ = events.unbounded_send((worker, WorkerEvent::Message(message)));
        };
        fn attempt(
            clock: VirtualClock,
            server: Server,
            send: Rc<dyn Fn(FromWorker)>,
            id: u32,
            url: String,
            throttle: Option<Rc<RefCell<Throttle>>>,
        ) {
            let now = clock.now();
            if let Some(bucket) = &throttle {
                if !bucket.borrow_mut().consume(now) {
                    let again = clock.clone();
                    clock.after(POLL_MS, move || {
                        attempt(again, server, send, id, url, throttle)
                    });
                    return;
                }
                send(FromWorker::Granted { id, at_ms: now });
            }
            send(FromWorker::Sent { id, at_ms: now });
            let (delay_ms, answer) = server(&url);
            let done = clock.clone();
            clock.after(delay_ms, move || {
                let at_ms = done.now();
                send(match answer {
                    Ok(reply) => FromWorker::Got { id, at_ms, reply },
                    Err(e) => FromWorker::GetFailed {
                        id,
                        at_ms,
                        reason: e.to_string(),
                    },
                });
            });
        }
        attempt(clock, server, Rc::new(send), id, url, throttle);
    }
}

impl Pool for VirtualPool {
    type Memory = VirtualMemory;
    type Pipe = VirtualPipe;

    fn share_memory(&self, bytes: u32) -> Result<VirtualMemory, String> {
        if !self.shared_memory {
            return Err(NO_SHARED_MEMORY.to_string());
        }
        let memory = VirtualMemory::new(bytes);
        *self.memory.borrow_mut() = Some(memory.clone());
        Ok(memory)
    }

    fn open_pipe(&self, worker: usize) -> Result<VirtualPipe, String> {
        Ok(VirtualPipe {
            clock: self.clock.clone(),
            worker,
            events: self.events.clone(),
        })
    }

    fn pid(&self, worker: usize) -> u32 {
        self.first_pid + worker as u32
    }

    fn post_canvas(&self, worker: usize, message: ToWorker, canvas_id: &str) -> Result<(), String> {
        self.spinner(worker, message, Some(canvas_id));
        Ok(())
    }

    fn share_throttle(&self, rate: f64) -> Result<(), String> {
        if !self.shared_memory {
            return Err(NO_SHARED_MEMORY.to_string());
        }
        *self.throttle.borrow_mut() = Some(Rc::new(RefCell::new(Throttle::new(rate))));
        Ok(())
    }

    fn post(&self, worker: usize, message: ToWorker) {
        let Some(free_at) = self.busy_until.borrow().get(worker).copied() else {
            return;
        };
        if matches!(message, ToWorker::Spin { .. } | ToWorker::SpinDone) {
            return self.spinner(worker, message, None);
        }
        if matches!(
            message,
            ToWorker::Visits { .. }
                | ToWorker::Fork { .. }
                | ToWorker::Hello { .. }
                | ToWorker::Pipe
                | ToWorker::SharedCtypes { .. }
        ) {
            return self.memory_lab(worker, message);
        }
        if let ToWorker::Get { id, url, throttled } = message {
            // The page posts a worker's next request only once it answered the last.
            let throttle = if throttled {
                self.throttle.borrow().clone()
            } else {
                None
            };
            return self.get(worker, id, url, throttle);
        }
        let now = self.clock.now();
        let (cost, answer) = match message {
            ToWorker::Check(n) if self.crash_on == Some(n) => (
                (self.check_cost)(n),
                WorkerEvent::Failed("simulated worker crash".to_string()),
            ),
            ToWorker::Check(n) => {
                let cost = (self.check_cost)(n);
                let answer = FromWorker::Checked {
                    n,
                    prime: is_prime(n),
                    elapsed_s: cost / 1000.0,
                };
                (cost, WorkerEvent::Message(answer))
            }
            ToWorker::End => (0.0, WorkerEvent::Message(FromWorker::Finished)),
            // Virtual code is optimized from the start: a warm-up takes 1 ms.
            ToWorker::WarmUp(_) => (1.0, WorkerEvent::Message(FromWorker::WarmedUp)),
            ToWorker::Crunch {
                workload,
                index,
                size,
                seed,
            } => {
                // The real job, on the virtual clock's time: 1 ms per 64 KiB.
                let cost = size as f64 / 65_536.0;
                let answer = FromWorker::Crunched {
                    index,
                    elapsed_s: cost / 1000.0,
                    result: run_job(workload, seed, index as usize, size as usize),
                };
                (cost, WorkerEvent::Message(answer))
            }
            ToWorker::Get { .. } => unreachable!("answered above"),
            ToWorker::GetInto { .. } => (
                0.0,
                WorkerEvent::Failed("no reply slot in a virtual pool".to_string()),
            ),
            _ => unreachable!("answered by memory_lab"),
        };
        let done_at = free_at.max(now) + cost;
        self.busy_until.borrow_mut()[worker] = done_at;
        let events = self.events.clone();
        self.clock.after(done_at - now, move || {
            let _ = events.unbounded_send((worker, answer));
        });
    }
}

impl Drop for VirtualPool {
    fn drop(&mut self) {
        *self.live_workers.borrow_mut() -= self.size;
    }
}

const NO_SHARED_MEMORY: &str = "memory cannot be shared between workers here";

impl Workers for Virtual {
    type Pool = VirtualPool;

    fn spawn_pool(&self, size: usize) -> Result<(VirtualPool, PoolEvents), String> {
        let (events, receiver) = mpsc::unbounded();
        for worker in 0..size {
            let _ = events.unbounded_send((worker, WorkerEvent::Message(FromWorker::Ready)));
        }
        *self.live_workers.borrow_mut() += size;
        let first_pid = PAGE_PID + 1 + *self.spawned.borrow();
        *self.spawned.borrow_mut() += size as u32;
        let pool = VirtualPool {
            clock: self.clock.clone(),
            server: self.server.clone(),
            shared_memory: self.shared_memory,
            throttle: RefCell::new(None),
            check_cost: self.check_cost.clone(),
            crash_on: self.crash_on,
            events,
            busy_until: RefCell::new(vec![0.0; size]),
            live_workers: self.live_workers.clone(),
            size,
            memory: RefCell::new(None),
            answer_ms: self.answer_ms.clone(),
            first_pid,
            spinners: Spinners::default(),
            spinner_ignores_done: self.spinner_ignores_done,
            canvases: self.canvases.clone(),
        };
        Ok((pool, receiver))
    }

    fn page_pid(&self) -> u32 {
        PAGE_PID
    }

    fn memory_shareable(&self) -> Result<(), String> {
        match self.shared_memory {
            true => Ok(()),
            false => Err(NO_SHARED_MEMORY.to_string()),
        }
    }
}
