//! View pieces every lab page is built from, one concern a file: the form and its fields,
//! the session reducer and its batching dispatcher, the run (hook and Run/Stop), the
//! transcript and notices, the run's one-sentence "what happened", the run history, a
//! table of results, the frame meter, the timeline, the Python reference, the live-worker indicator and the
//! cross-origin isolation notice.

mod form;
mod happened;
mod history;
mod isolation;
mod meter;
mod python;
mod run;
mod session;
mod table;
mod timeline;
mod transcript;
mod workers;

pub use form::{Field, FormHandle, event_value, use_lab_form};
pub use happened::WhatHappened;
pub use history::RunHistory;
pub use isolation::{IsolationNotice, use_isolation};
pub use meter::FrameMeterView;
pub use python::PythonReference;
pub use run::{CompareButton, LabRun, RunControls, run_on_submit, use_lab_run, use_servers};
pub use session::{Dispatch, SessionState, use_lab_session};
pub use table::ResultTable;
pub use timeline::{Timeline, use_redraw_while};
pub use transcript::{Notices, Transcript};
pub use workers::{LiveWorkers, use_live_workers};
