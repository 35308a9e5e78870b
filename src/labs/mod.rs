//! One folder per lab: a pure `model` (parameters, validation, transcript lines,
//! history) tested natively, and a thin Yew `view` built only for the browser.

pub mod executors;
pub mod flags;
pub mod primes;
pub mod spinner;

use crate::text::shorten;

/// The Python scripts the labs mirror ship as static files beside the app (Trunk copies
/// `src/labs/<lab>/python/` to `python/<lab>/`) and are fetched when shown, so they add
/// nothing to the app's download.
pub fn python_path(lab: &str, file: &str) -> String {
    format!("python/{lab}/{file}")
}

/// A reference script's text, for the models' tests.
#[cfg(test)]
pub fn python_source(lab: &str, file: &str) -> String {
    let path = format!(
        "{}/src/labs/{lab}/python/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// What every lab's form is: raw text per field, checked field by field, carried in the URL.
pub trait LabForm: Clone + PartialEq + 'static {
    type Field: Copy + PartialEq + 'static;
    /// Every field, in form order.
    const FIELDS: &'static [Self::Field];

    /// The URL parameter name (and the control's id suffix).
    fn key(field: Self::Field) -> &'static str;
    /// The visible `<label>`.
    fn label(field: Self::Field) -> &'static str;

    /// The fields the current choice (variant, mode) uses, in form order.
    fn fields(&self) -> Vec<Self::Field>;
    fn get(&self, field: Self::Field) -> &str;
    fn set(&mut self, field: Self::Field, value: String);
    /// The message shown next to `field` when `value` is not acceptable.
    fn check(field: Self::Field, value: &str) -> Result<(), String>;
    /// The URL parameters: the fields in use.
    fn query(&self) -> Vec<(&'static str, String)> {
        self.fields()
            .into_iter()
            .filter_map(|f| Some((Self::key(f), self.url_value(f)?)))
            .collect()
    }

    /// The field whose URL parameter is `key`.
    fn field_for(key: &str) -> Option<Self::Field> {
        Self::FIELDS.iter().copied().find(|&f| Self::key(f) == key)
    }

    /// A URL value as the field's text: by default the value itself, once the field accepts it.
    fn decode(field: Self::Field, value: &str) -> Result<String, String> {
        Self::check(field, value).map(|()| value.to_string())
    }

    /// A field's value in the URL; `None` leaves it out (an empty optional field).
    fn url_value(&self, field: Self::Field) -> Option<String> {
        Some(self.get(field).to_string())
    }

    /// Fills this form (the defaults) from URL parameters: unknown keys and values the
    /// field would not accept are left out, each with a notice for the reader.
    fn with_query(mut self, query: &[(String, String)]) -> (Self, Vec<String>) {
        let mut notices = Vec::new();
        for (key, value) in query {
            let Some(field) = Self::field_for(key) else {
                notices.push(format!("Ignored unknown URL parameter `{key}`."));
                continue;
            };
            match Self::decode(field, value) {
                Ok(text) => self.set(field, text),
                Err(reason) => notices.push(format!(
                    "Ignored `{key}={}` from the URL ({reason}); using the default `{}`.",
                    shorten(value, 40),
                    shorten(
                        &self
                            .url_value(field)
                            .unwrap_or_else(|| self.get(field).to_string()),
                        40
                    )
                )),
            }
        }
        (self, notices)
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reference_script_ships() {
        for v in spinner::model::Variant::ALL {
            assert!(python_source("spinner", v.python_reference()).contains("def "));
        }
        for m in primes::model::Mode::ALL {
            assert!(python_source("primes", m.python_reference()).contains("def "));
        }
        for m in flags::model::Mode::ALL {
            assert!(python_source("flags", m.python_reference()).contains("def "));
        }
        for d in executors::model::Demo::ALL {
            assert!(python_source("executors", d.python_reference()).contains("def "));
        }
    }
}
