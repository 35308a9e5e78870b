//! One folder per lab: a pure `model` (parameters, validation, transcript lines,
//! history) tested natively, and a thin Yew `view` built only for the browser.

pub mod executors;
pub mod flags;
pub mod primes;
pub mod spinner;

/// What every lab's form is: raw text per field, checked field by field, carried in the URL.
pub trait LabForm: Clone + PartialEq + 'static {
    type Field: Copy + PartialEq + 'static;

    /// The fields the current choice (variant, mode) uses, in form order.
    fn fields(&self) -> Vec<Self::Field>;
    fn get(&self, field: Self::Field) -> &str;
    fn set(&mut self, field: Self::Field, value: String);
    /// The message shown next to `field` when `value` is not acceptable.
    fn check(field: Self::Field, value: &str) -> Result<(), String>;
    /// The URL parameters: the fields in use.
    fn query(&self) -> Vec<(&'static str, String)>;

    /// Every field in use that fails its check, in form order: all messages at once.
    fn errors(&self) -> Vec<(Self::Field, String)> {
        self.fields()
            .into_iter()
            .filter_map(|f| Self::check(f, self.get(f)).err().map(|e| (f, e)))
            .collect()
    }
}

/// A lab's state across runs, driven by the events its runs produce.
pub trait LabSession: Clone + Default + PartialEq + 'static {
    type Event;
    fn apply(&mut self, event: Self::Event);
}
