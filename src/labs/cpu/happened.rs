//! "What happened", computed from the last run's measurements.

use super::choices::Mode;
use super::history::HistoryRow;
use super::session::{Outcome, Session};
use super::table::{TableRow, times};
use crate::pyfmt::plural;
use crate::text::millis;

/// The last run's sentence; `None` before the first run and while one runs. `cpus` is the
/// machine's logical CPU count (`navigator.hardwareConcurrency`).
pub fn what_happened(session: &Session, cpus: u32) -> Option<String> {
    if session.is_running() {
        return None;
    }
    let params = session.last_params.as_ref()?;
    match session.outcome.as_ref()? {
        Outcome::Failed(reason) => return Some(format!("The run could not go on: {reason}.")),
        Outcome::Cancelled => {
            return Some(
                "Stopped: the pool's workers were terminated at once, mid-job; the pools that had \
                 finished keep their times."
                    .to_string(),
            );
        }
        Outcome::Completed => {}
    }
    match params.mode {
        Mode::Table => table_sentence(&session.table_rows()?.1, params.workload, cpus),
        Mode::Pool => pool_sentence(&session.history),
    }
}

fn table_sentence(rows: &[TableRow], workload: super::choices::Workload, cpus: u32) -> Option<String> {
    let one = rows.iter().find(|r| r.workers == 1)?;
    let best = rows
        .iter()
        .filter(|r| r.workers > 1)
        .max_by(|a, b| a.jobs_speedup.unwrap_or(0.0).total_cmp(&b.jobs_speedup.unwrap_or(0.0)))?;
    let book = workload.book_seconds();
    let (book_n, book_s) = match best.book_s {
        Some(s) => (best.workers, s),
        None => (book.len(), book[book.len() - 1]),
    };
    let mut sentence = format!(
        "On {} the jobs alone ran at {} the speed of 1 worker ({} → {}); counting the workers' \
         start, as the book's times do, {} ({} → {}; the book: {} with {} on 4 cores)",
        plural(best.workers, "worker", "workers"),
        times(best.jobs_speedup),
        millis(one.jobs_s * 1000.0),
        millis(best.jobs_s * 1000.0),
        times(best.speedup),
        millis(one.total_s * 1000.0),
        millis(best.total_s * 1000.0),
        times(Some(book[0] / book_s)),
        plural(book_n, "worker", "workers"),
    );
    let startup = best.total_s - best.jobs_s;
    if startup > best.jobs_s {
        sentence.push_str(&format!(
            ". Starting the workers took {} of that, more than the jobs: WASM does in milliseconds \
             what took CPython seconds, so raise Data × to let the work outweigh the start",
            millis(startup * 1000.0)
        ));
    }
    if let Some(most) = rows.iter().filter(|r| r.workers > cpus as usize).max_by_key(|r| r.workers)
    {
        sentence.push_str(&format!(
            ". More workers than this machine's {} gained nothing more ({}: {})",
            plural(cpus as usize, "logical CPU", "logical CPUs"),
            plural(most.workers, "worker", "workers"),
            times(most.jobs_speedup),
        ));
    }
    sentence.push('.');
    Some(sentence)
}

fn pool_sentence(history: &[HistoryRow]) -> Option<String> {
    let HistoryRow::Done { params, pool, .. } = history.last()? else {
        return None;
    };
    let mut sentence = format!(
        "12 {} jobs on {} took {}: {} starting the workers, {} for the jobs, which kept the \
         workers busy {} in all",
        params.workload.name(),
        plural(pool.workers, "worker", "workers"),
        millis(pool.total_s * 1000.0),
        millis(pool.startup_s() * 1000.0),
        millis(pool.jobs_s * 1000.0),
        millis(pool.busy_s * 1000.0),
    );
    let earlier = history.iter().rev().skip(1).find_map(|row| match row {
        HistoryRow::Done { run_no, params: p, pool: other }
            if p.workload == params.workload && p.scale == params.scale && p.workers != params.workers =>
        {
            Some((run_no, other))
        }
        _ => None,
    });
    if let Some((earlier_no, other)) = earlier {
        sentence.push_str(&format!(
            "; the jobs alone ran {} as fast as run {earlier_no} on {} ({}), {} counting the start",
            times(Some(other.jobs_s / pool.jobs_s)),
            plural(other.workers, "worker", "workers"),
            millis(other.jobs_s * 1000.0),
            times(Some(other.total_s / pool.total_s)),
        ));
    }
    sentence.push('.');
    Some(sentence)
}

#[cfg(test)]
mod tests {
    use super::super::form::CpuForm;
    use super::super::session::Event;
    use super::super::table::PoolRun;
    use super::*;
    use crate::labs::form::FormText;
    use crate::labs::{LabForm, LabSession};

    fn session(pairs: &[(super::super::form::Field, &str)], pools: &[(usize, f64, f64)]) -> Session {
        let mut form = CpuForm::with_cpu_count(2);
        for &(field, value) in pairs {
            form.set(field, value.to_string());
        }
        let mut s = Session::default();
        s.apply(Event::Started(form.validate().unwrap()));
        for &(workers, total_s, jobs_s) in pools {
            s.apply(Event::PoolDone(PoolRun {
                workers,
                total_s,
                jobs_s,
                busy_s: jobs_s,
            }));
        }
        s.apply(Event::Finished(Outcome::Completed));
        s
    }

    #[test]
    fn the_table_sentence_uses_the_medians_the_book_and_the_cpu_count() {
        let s = session(
            &[],
            &[(1, 0.30, 0.20), (2, 0.22, 0.105), (3, 0.22, 0.11), (4, 0.23, 0.12)],
        );
        let text = what_happened(&s, 2).unwrap();
        assert_eq!(
            text,
            "On 2 workers the jobs alone ran at 1.90× the speed of 1 worker (200 ms → 105 ms); \
             counting the workers' start, as the book's times do, 1.36× (300 ms → 220 ms; the book: 1.33× with 2 \
             workers on 4 cores). Starting the workers took 115 ms of that, more than the jobs: WASM \
             does in milliseconds what took CPython seconds, so raise Data × to let the work \
             outweigh the start. More workers than this machine's 2 logical CPUs gained nothing \
             more (4 workers: 1.67×)."
        );
    }

    #[test]
    fn the_pool_sentence_compares_with_the_last_run_of_another_size() {
        use super::super::form::Field;
        let mut s = session(&[(Field::Mode, "pool"), (Field::Workers, "1")], &[(1, 0.3, 0.2)]);
        let mut form = CpuForm::with_cpu_count(2);
        form.set(Field::Mode, "pool".into());
        s.apply(Event::Started(form.validate().unwrap()));
        s.apply(Event::PoolDone(PoolRun { workers: 2, total_s: 0.2, jobs_s: 0.1, busy_s: 0.19 }));
        s.apply(Event::Finished(Outcome::Completed));
        assert_eq!(
            what_happened(&s, 2).unwrap(),
            "12 RC4 jobs on 2 workers took 200 ms: 100 ms starting the workers, 100 ms for the \
             jobs, which kept the workers busy 190 ms in all; the jobs alone ran 2.00× as fast as \
             run 1 on 1 worker (200 ms), 1.50× counting the start."
        );
    }
}
