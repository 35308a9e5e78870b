//! procs.py's scheduling, as a state machine the run drives: one jobs queue with every
//! number and then one poison pill per worker, handed to whichever worker is idle; and
//! `executor.map`'s submission order, which holds back results finished early.
//!
//! Worker ids are 0-based indices (`0..workers`, one timeline lane each); text shown to
//! the reader numbers them from 1 (`Worker 1`).

use std::collections::VecDeque;
use std::fmt;

use crate::worker_protocol::ToWorker;

/// The message a worker is sent, paired with its index.
pub type Commands = Vec<(usize, ToWorker)>;

/// One answered job.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CheckResult {
    /// Position in the jobs queue (submission order), from 0.
    pub job: usize,
    /// Position among the answers (completion order), from 0.
    pub order: usize,
    pub worker: usize,
    pub n: u64,
    pub prime: bool,
    /// The time the check took inside the worker.
    pub elapsed_s: f64,
}

/// A message that does not fit the protocol; the run should end as a worker failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProtocolError {
    NoSuchWorker {
        worker: usize,
    },
    /// A result from a worker that was not given a number.
    NotChecking {
        worker: usize,
        n: u64,
    },
    /// A result for another number than the one the worker was given.
    WrongNumber {
        worker: usize,
        expected: u64,
        got: u64,
    },
    /// An end marker from a worker that was not sent the poison pill, or a second one.
    UnexpectedEnd {
        worker: usize,
    },
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ProtocolError::NoSuchWorker { worker } => {
                write!(f, "message from unknown worker {}", worker + 1)
            }
            ProtocolError::NotChecking { worker, n } => {
                write!(
                    f,
                    "worker {} answered {n} but was given no number",
                    worker + 1
                )
            }
            ProtocolError::WrongNumber {
                worker,
                expected,
                got,
            } => {
                write!(
                    f,
                    "worker {} answered {got} but was checking {expected}",
                    worker + 1
                )
            }
            ProtocolError::UnexpectedEnd { worker } => {
                write!(
                    f,
                    "worker {} sent an end marker it was not asked for",
                    worker + 1
                )
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Item {
    Job { job: usize, n: u64 },
    PoisonPill,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WorkerState {
    /// Not handed anything yet.
    Waiting,
    Checking {
        job: usize,
        n: u64,
    },
    /// Took its poison pill; its end marker is due.
    Ending,
    Finished,
}

/// procs.py's scheduling as a state machine the run drives: one jobs queue holding every
/// number and then one poison pill per worker; whenever a worker is idle it gets the next
/// item (dynamic scheduling, like workers sharing a `SimpleQueue`); the run is over when
/// every worker has sent its end marker (the collector's `procs_done`).
///
/// The run calls [`Dispatcher::on_ready`] as each worker reports `ready` (or
/// [`Dispatcher::start`] once all are), then [`Dispatcher::on_result`] for each `checked`
/// and [`Dispatcher::on_finished`] for each `finished`, and posts the returned commands.
#[derive(Clone, Debug)]
pub struct Dispatcher {
    queue: VecDeque<Item>,
    workers: Vec<WorkerState>,
    total: usize,
    pills_sent: usize,
    results: Vec<CheckResult>,
}

impl Dispatcher {
    /// The queue holds `jobs` in this order (see `PrimesParams::job_order`); at least one worker.
    pub fn new(jobs: &[u64], workers: usize) -> Self {
        let workers = workers.max(1);
        let mut queue: VecDeque<Item> = jobs
            .iter()
            .enumerate()
            .map(|(job, &n)| Item::Job { job, n })
            .collect();
        queue.extend(std::iter::repeat_n(Item::PoisonPill, workers));
        Dispatcher {
            queue,
            workers: vec![WorkerState::Waiting; workers],
            total: jobs.len(),
            pills_sent: 0,
            results: Vec::new(),
        }
    }

    pub fn workers(&self) -> usize {
        self.workers.len()
    }

    /// How many numbers the run checks.
    pub fn total(&self) -> usize {
        self.total
    }

    /// Hands the next item of the queue to `worker`.
    fn hand_out(&mut self, worker: usize) -> (usize, ToWorker) {
        match self.queue.pop_front() {
            Some(Item::Job { job, n }) => {
                self.workers[worker] = WorkerState::Checking { job, n };
                (worker, ToWorker::Check(n))
            }
            // N pills for N workers, each takes one and stops: the queue cannot run dry.
            Some(Item::PoisonPill) | None => {
                self.pills_sent += 1;
                self.workers[worker] = WorkerState::Ending;
                (worker, ToWorker::End)
            }
        }
    }

    /// `worker` is up: its first item (a number, or the poison pill when there are fewer
    /// numbers than workers). Nothing for a worker that already has one.
    pub fn on_ready(&mut self, worker: usize) -> Commands {
        match self.workers.get(worker) {
            Some(WorkerState::Waiting) => vec![self.hand_out(worker)],
            _ => Vec::new(),
        }
    }

    /// Every worker's first item at once, for a pool that is already up.
    pub fn start(&mut self) -> Commands {
        (0..self.workers.len())
            .flat_map(|w| self.on_ready(w))
            .collect()
    }

    /// `worker` answered `n`: records the result and gives that worker the next item.
    pub fn on_result(
        &mut self,
        worker: usize,
        n: u64,
        prime: bool,
        elapsed_s: f64,
    ) -> Result<(CheckResult, Commands), ProtocolError> {
        let state = *self
            .workers
            .get(worker)
            .ok_or(ProtocolError::NoSuchWorker { worker })?;
        let WorkerState::Checking { job, n: expected } = state else {
            return Err(ProtocolError::NotChecking { worker, n });
        };
        if n != expected {
            return Err(ProtocolError::WrongNumber {
                worker,
                expected,
                got: n,
            });
        }
        let result = CheckResult {
            job,
            order: self.results.len(),
            worker,
            n,
            prime,
            elapsed_s,
        };
        self.results.push(result);
        Ok((result, vec![self.hand_out(worker)]))
    }

    /// `worker` sent its end marker.
    pub fn on_finished(&mut self, worker: usize) -> Result<(), ProtocolError> {
        match self.workers.get_mut(worker) {
            None => Err(ProtocolError::NoSuchWorker { worker }),
            Some(state @ WorkerState::Ending) => {
                *state = WorkerState::Finished;
                Ok(())
            }
            Some(_) => Err(ProtocolError::UnexpectedEnd { worker }),
        }
    }

    /// How many workers have sent their end marker (`procs_done`).
    pub fn finished_workers(&self) -> usize {
        self.workers
            .iter()
            .filter(|s| **s == WorkerState::Finished)
            .count()
    }

    /// All end markers are in: every number was answered.
    pub fn is_done(&self) -> bool {
        self.finished_workers() == self.workers.len()
    }

    pub fn pills_sent(&self) -> usize {
        self.pills_sent
    }

    pub fn checked(&self) -> usize {
        self.results.len()
    }

    /// Numbers still waiting in the queue (not yet handed to a worker).
    pub fn queued(&self) -> usize {
        self.queue
            .iter()
            .filter(|i| matches!(i, Item::Job { .. }))
            .count()
    }

    /// The number `worker` is checking, if any.
    pub fn in_flight(&self, worker: usize) -> Option<u64> {
        match self.workers.get(worker) {
            Some(WorkerState::Checking { n, .. }) => Some(*n),
            _ => None,
        }
    }

    /// Every answer so far, in completion order.
    pub fn results(&self) -> &[CheckResult] {
        &self.results
    }
}

/// `executor.map`'s ordering: takes results in completion order and releases them in
/// submission order — the unbroken run from the first job on, so a slow first job holds
/// back every later one that is already done.
#[derive(Clone, Debug, PartialEq)]
pub struct SubmissionOrder {
    slots: Vec<Option<CheckResult>>,
    released: usize,
}

impl SubmissionOrder {
    pub fn new(total: usize) -> Self {
        SubmissionOrder {
            slots: vec![None; total],
            released: 0,
        }
    }

    /// Takes one result (by its `job`); returns those now releasable, in submission order.
    /// A job out of range or already taken is ignored.
    pub fn push(&mut self, result: CheckResult) -> Vec<CheckResult> {
        match self.slots.get_mut(result.job) {
            Some(slot @ None) if result.job >= self.released => *slot = Some(result),
            _ => return Vec::new(),
        }
        let mut out = Vec::new();
        while let Some(Some(next)) = self.slots.get(self.released) {
            out.push(*next);
            self.released += 1;
        }
        out
    }

    pub fn released(&self) -> usize {
        self.released
    }

    /// Results computed but held back by an earlier job.
    pub fn held(&self) -> usize {
        self.slots[self.released..]
            .iter()
            .filter(|s| s.is_some())
            .count()
    }

    pub fn is_complete(&self) -> bool {
        self.released == self.slots.len()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::choices::{Mode, Preset};
    use super::super::form::PrimesParams;
    use super::super::numbers::BOOK;
    use super::*;
    use crate::prime::{BOOK_NUMBERS, is_prime};

    /// The verdict without the work: the fixture's for the book's numbers.
    pub(crate) fn verdict(n: u64) -> bool {
        BOOK_NUMBERS
            .iter()
            .find(|p| p.0 == n)
            .map_or_else(|| is_prime(n), |p| p.1)
    }

    /// A deterministic pseudo-random sequence (64-bit LCG).
    pub(crate) struct Lcg(pub(crate) u64);

    impl Lcg {
        pub(crate) fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) % n as u64) as usize
        }
    }

    /// Drives a dispatcher like the run does, delivering the workers' messages in a
    /// pseudo-random order; returns the results and every command each worker received.
    fn simulate(
        jobs: &[u64],
        workers: usize,
        seed: u64,
        ready_one_by_one: bool,
    ) -> (Dispatcher, Vec<Vec<ToWorker>>) {
        let mut d = Dispatcher::new(jobs, workers);
        let mut rng = Lcg(seed);
        let mut inbox: Vec<Vec<ToWorker>> = vec![Vec::new(); workers];
        let mut pending: Vec<Option<ToWorker>> = vec![None; workers];
        let deliver = |cmds: Commands,
                       inbox: &mut Vec<Vec<ToWorker>>,
                       pending: &mut Vec<Option<ToWorker>>| {
            for (w, cmd) in cmds {
                assert!(
                    pending[w].is_none(),
                    "worker {w} got a second command while busy"
                );
                assert!(
                    !inbox[w].contains(&ToWorker::End),
                    "worker {w} got a command after its pill"
                );
                inbox[w].push(cmd.clone());
                pending[w] = Some(cmd);
            }
        };
        if ready_one_by_one {
            let mut order: Vec<usize> = (0..workers).collect();
            for i in (1..workers).rev() {
                order.swap(i, rng.below(i + 1));
            }
            for w in order {
                let cmds = d.on_ready(w);
                assert_eq!(cmds.len(), 1);
                deliver(cmds, &mut inbox, &mut pending);
                assert!(d.on_ready(w).is_empty(), "ready twice hands out nothing");
            }
        } else {
            let cmds = d.start();
            assert_eq!(cmds.len(), workers);
            deliver(cmds, &mut inbox, &mut pending);
        }
        while pending.iter().any(Option::is_some) {
            let busy: Vec<usize> = (0..workers).filter(|&w| pending[w].is_some()).collect();
            let w = busy[rng.below(busy.len())];
            assert!(!d.is_done());
            match pending[w].take().unwrap() {
                ToWorker::Check(n) => {
                    let (result, cmds) = d.on_result(w, n, verdict(n), 0.001).unwrap();
                    assert_eq!((result.worker, result.n), (w, n));
                    deliver(cmds, &mut inbox, &mut pending);
                }
                ToWorker::End => d.on_finished(w).unwrap(),
                other => panic!("the dispatcher never sends {other:?}"),
            }
        }
        (d, inbox)
    }

    #[test]
    fn every_number_is_answered_exactly_once_for_any_n() {
        let lists: [&[u64]; 4] = [&BOOK, &[7, 7, 4, 0, 1], &[97], &[]];
        for jobs in lists {
            for workers in 1..=25 {
                for (seed, one_by_one) in [(1, false), (42, true), (2024, false)] {
                    let (d, inbox) = simulate(jobs, workers, seed + workers as u64, one_by_one);
                    let ctx = format!("{} jobs, {workers} workers, seed {seed}", jobs.len());
                    assert!(d.is_done(), "{ctx}");
                    assert_eq!(d.finished_workers(), workers, "{ctx}");
                    assert_eq!(d.pills_sent(), workers, "{ctx}");
                    assert_eq!(d.checked(), jobs.len(), "{ctx}");
                    assert_eq!(d.queued(), 0);
                    let mut answered: Vec<usize> = d.results().iter().map(|r| r.job).collect();
                    answered.sort_unstable();
                    assert_eq!(answered, (0..jobs.len()).collect::<Vec<_>>(), "{ctx}");
                    for (i, r) in d.results().iter().enumerate() {
                        assert_eq!(r.order, i);
                        assert_eq!(r.n, jobs[r.job]);
                        assert_eq!(r.prime, verdict(r.n));
                    }
                    // Each worker ends with exactly one pill; checks + pills = commands.
                    for cmds in &inbox {
                        assert_eq!(cmds.last(), Some(&ToWorker::End), "{ctx}");
                        assert_eq!(cmds.iter().filter(|c| **c == ToWorker::End).count(), 1);
                    }
                    let checks: usize = inbox.iter().map(|c| c.len() - 1).sum();
                    assert_eq!(checks, jobs.len());
                    if workers > jobs.len() {
                        let idle = inbox.iter().filter(|c| c.len() == 1).count();
                        assert_eq!(
                            idle,
                            workers - jobs.len(),
                            "{ctx}: extra workers get only the pill"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_queue_is_handed_out_in_order_to_whoever_is_idle() {
        let mut d = Dispatcher::new(&[10, 11, 12, 13], 2);
        assert_eq!(
            d.start(),
            [(0, ToWorker::Check(10)), (1, ToWorker::Check(11))]
        );
        assert_eq!(d.in_flight(1), Some(11));
        // Worker 1 is fast: it takes the next two jobs while worker 0 is still busy.
        assert_eq!(
            d.on_result(1, 11, true, 0.1).unwrap().1,
            [(1, ToWorker::Check(12))]
        );
        assert_eq!(
            d.on_result(1, 12, false, 0.1).unwrap().1,
            [(1, ToWorker::Check(13))]
        );
        assert_eq!(
            d.on_result(1, 13, true, 0.1).unwrap().1,
            [(1, ToWorker::End)]
        );
        assert_eq!(d.queued(), 0);
        d.on_finished(1).unwrap();
        assert!(!d.is_done(), "worker 0 has not sent its end marker");
        let (r, cmds) = d.on_result(0, 10, false, 2.0).unwrap();
        assert_eq!((r.job, r.order), (0, 3));
        assert_eq!(cmds, [(0, ToWorker::End)]);
        assert!(!d.is_done());
        d.on_finished(0).unwrap();
        assert!(d.is_done());
        assert_eq!(d.pills_sent(), 2);
    }

    #[test]
    fn protocol_violations_are_errors() {
        let mut d = Dispatcher::new(&[10, 11], 2);
        assert_eq!(
            d.on_result(0, 10, false, 0.0).unwrap_err(),
            ProtocolError::NotChecking { worker: 0, n: 10 }
        );
        d.start();
        assert_eq!(
            d.on_result(0, 11, true, 0.0).unwrap_err(),
            ProtocolError::WrongNumber {
                worker: 0,
                expected: 10,
                got: 11
            }
        );
        assert_eq!(
            d.on_result(5, 10, false, 0.0).unwrap_err(),
            ProtocolError::NoSuchWorker { worker: 5 }
        );
        assert_eq!(
            d.on_finished(0).unwrap_err(),
            ProtocolError::UnexpectedEnd { worker: 0 }
        );
        d.on_result(0, 10, false, 0.0).unwrap();
        d.on_finished(0).unwrap();
        assert_eq!(
            d.on_finished(0).unwrap_err(),
            ProtocolError::UnexpectedEnd { worker: 0 }
        );
        assert_eq!(
            ProtocolError::WrongNumber {
                worker: 1,
                expected: 3,
                got: 5
            }
            .to_string(),
            "worker 2 answered 5 but was checking 3"
        );
        // Zero workers means one.
        assert_eq!(Dispatcher::new(&[1], 0).workers(), 1);
    }

    pub(crate) fn result(job: usize, n: u64) -> CheckResult {
        CheckResult {
            job,
            order: 0,
            worker: 0,
            n,
            prime: false,
            elapsed_s: 0.0,
        }
    }

    #[test]
    fn submission_order_releases_the_unbroken_prefix() {
        let mut buf = SubmissionOrder::new(4);
        let jobs = |rs: Vec<CheckResult>| rs.into_iter().map(|r| r.job).collect::<Vec<_>>();
        assert_eq!(jobs(buf.push(result(2, 12))), [] as [usize; 0]);
        assert_eq!(jobs(buf.push(result(1, 11))), [] as [usize; 0]);
        assert_eq!(buf.held(), 2);
        assert_eq!(
            jobs(buf.push(result(0, 10))),
            [0, 1, 2],
            "the slow first job held back two"
        );
        assert_eq!(buf.released(), 3);
        assert!(buf.push(result(1, 11)).is_empty(), "duplicates are ignored");
        assert!(
            buf.push(result(9, 19)).is_empty(),
            "out of range is ignored"
        );
        assert!(!buf.is_complete());
        assert_eq!(jobs(buf.push(result(3, 13))), [3]);
        assert!(buf.is_complete());
        assert_eq!(buf.held(), 0);
    }

    #[test]
    fn submission_order_with_a_simulated_pool() {
        for workers in 1..=25 {
            let params = PrimesParams {
                mode: Mode::PoolMap,
                workers,
                numbers: BOOK.to_vec(),
                preset: Some(Preset::Book),
                sweep: None,
            };
            let jobs = params.job_order();
            assert!(jobs.windows(2).all(|w| w[0] >= w[1]), "sorted in reverse");
            let (d, _) = simulate(&jobs, workers, 7 * workers as u64, true);
            let mut buf = SubmissionOrder::new(jobs.len());
            let released: Vec<u64> = d
                .results()
                .iter()
                .flat_map(|r| buf.push(*r))
                .map(|r| r.n)
                .collect();
            assert_eq!(released, jobs);
        }
    }}
