//! One folder per lab, every lab the same shape: `choices` (its option enums), `form`
//! (fields, validation into typed parameters, URL), the transcript/report formatting,
//! `session` (state driven by the run's events), `script` (the run: a plain future over
//! the runtime's ports, tested natively on a virtual clock) and `view` (the page, built
//! from `ui` pieces, wasm only). Adding a lab is its folder plus one name in [`labs!`]; a lab
//! whose page is a module of its own ([`LabPage::OnDemand`]) also has its two-line
//! `src/bin/lab_<key>.rs` and a `<link>` in `index.html`.

pub mod choice;
pub mod form;
pub mod python;

pub use form::LabForm;

/// A lab's entry in the registry: its route, nav title, home-page summary and page.
pub struct Lab {
    /// The route (`#/spinner`) and the prefix of its controls' ids.
    pub key: &'static str,
    /// The nav link's text.
    pub title: &'static str,
    /// The home page's line about it.
    pub summary: &'static str,
    /// Where its page comes from.
    #[cfg(target_arch = "wasm32")]
    pub page: LabPage,
}

/// A lab page: in the app, or a wasm module of its own fetched when the lab opens, so the
/// home page stays small (`crate::lab_module`).
#[cfg(target_arch = "wasm32")]
#[derive(Clone, Copy)]
pub enum LabPage {
    /// Renders the page for the URL's parameters.
    Bundled(fn(Vec<(String, String)>) -> yew::Html),
    /// Built as `lab_<key>` by `src/bin/lab_<key>.rs`.
    OnDemand,
}

impl Lab {
    pub fn path(&self) -> String {
        format!("/{}", self.key)
    }
}

impl std::fmt::Debug for Lab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Lab({})", self.key)
    }
}

/// Declares the labs' modules and the registry, in nav order.
macro_rules! labs {
    ($($lab:ident),+ $(,)?) => {
        $(pub mod $lab;)+
        /// Every lab, in nav order.
        pub const LABS: &[&Lab] = &[$(&$lab::LAB),+];
    };
}

labs!(spinner, executors, flags, primes, cpu, rates, memory);

/// The lab whose route is `/{key}`.
pub fn lab(key: &str) -> Option<&'static Lab> {
    LABS.iter().copied().find(|lab| lab.key == key)
}

/// A lab's state across runs, driven by the events its runs produce.
pub trait LabSession: Clone + Default + PartialEq + 'static {
    type Event: 'static;
    /// How often a run's events reach the page at most, ms; 0 is every animation frame.
    /// Labs whose workers compute on every core wait for the page's beat
    /// (`runtime::beat::PAGE_BEAT_MS`): each update is page work (a render, a layout, a
    /// paint) taken from a worker (issue 14), and on the beat it shares the meter's frame.
    const UPDATE_EVERY_MS: u32 = 0;
    fn apply(&mut self, event: Self::Event);
    /// The event Stop sends: the run was cancelled `elapsed_s` after it started.
    fn cancelled(elapsed_s: f64) -> Self::Event;

    /// A fresh session after `events`, as the page would show it (tests).
    #[cfg(test)]
    fn replay(events: &[Self::Event]) -> Self
    where
        Self::Event: Clone,
    {
        let mut session = Self::default();
        for event in events {
            session.apply(event.clone());
        }
        session
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_names_each_lab_once() {
        let keys: Vec<&str> = LABS.iter().map(|lab| lab.key).collect();
        assert_eq!(
            keys,
            [
                "spinner",
                "executors",
                "flags",
                "primes",
                "cpu",
                "rates",
                "memory"
            ]
        );
        assert_eq!(lab("flags").map(|l| l.title), Some("Flags"));
        assert_eq!(lab("primes").map(|l| l.path()), Some("/primes".to_string()));
        assert!(lab("nope").is_none());
        assert!(LABS.iter().all(|lab| !lab.summary.is_empty()));
    }
}
