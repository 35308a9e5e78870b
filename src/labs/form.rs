//! What every lab's form is: raw text per field (what the reader typed), carried in the
//! URL, checked field by field as it is edited, and parsed once into typed parameters on
//! Run. [`lab_form!`] declares the fields once — key, label, default, parser — and writes
//! the form struct, its field enum and the typed parse; the lab writes only which fields
//! its current choice uses and how the parsed values make its parameters.

use crate::text::shorten;

/// A form's field: its URL key (and the control's id suffix) and its visible label.
pub trait FormField: Copy + PartialEq + std::fmt::Debug + 'static {
    /// Every field, in form order.
    const ALL: &'static [Self];
    fn key(self) -> &'static str;
    fn label(self) -> &'static str;

    /// The field whose URL key is `key`.
    fn for_key(key: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|f| f.key() == key)
    }
}

/// Messages next to fields, in form order.
pub type FieldErrors<F> = Vec<(F, String)>;

/// One field's text, parsed: the typed value or the message to show next to the field.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed<F, T> {
    pub field: F,
    pub value: Result<T, String>,
}

/// The text side of a form, written by [`lab_form!`].
pub trait FormText {
    type Field: FormField;
    /// Every field parsed once, each with its own result.
    type Parsed;
    fn get(&self, field: Self::Field) -> &str;
    fn set(&mut self, field: Self::Field, value: String);
    /// The message shown next to `field` when `value` is not acceptable.
    fn check(field: Self::Field, value: &str) -> Result<(), String>;
    fn parse(&self) -> Self::Parsed;

    /// This form with `pairs` typed in (tests).
    #[cfg(test)]
    fn with(mut self, pairs: &[(Self::Field, &str)]) -> Self
    where
        Self: Sized,
    {
        for (field, value) in pairs {
            self.set(*field, value.to_string());
        }
        self
    }
}

/// Collects the messages of a form's parse: [`Validation::take`] each parsed field the
/// current choice uses, add cross-field messages with [`Validation::reject`], then
/// [`Validation::finish`] with the parameters built from what was taken.
pub struct Validation<F> {
    errors: FieldErrors<F>,
}

impl<F> Default for Validation<F> {
    fn default() -> Self {
        Validation { errors: Vec::new() }
    }
}

impl<F> Validation<F> {
    /// The field's value, or `None` with its message recorded.
    pub fn take<T>(&mut self, parsed: Parsed<F, T>) -> Option<T> {
        match parsed.value {
            Ok(value) => Some(value),
            Err(message) => {
                self.errors.push((parsed.field, message));
                None
            }
        }
    }

    /// The field's value when the current choice uses it (it is in `in_use`), else its
    /// default's: a field the reader cannot see never blocks a run.
    pub fn take_in_use<T>(
        &mut self,
        in_use: &[F],
        value: Parsed<F, T>,
        default: Parsed<F, T>,
    ) -> Option<T>
    where
        F: PartialEq,
    {
        if in_use.contains(&value.field) {
            self.take(value)
        } else {
            self.take(default)
        }
    }

    /// A message that involves more than one field (e.g. a range's ends), shown next to `field`.
    pub fn reject(&mut self, field: F, message: String) {
        self.errors.push((field, message));
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The parameters `build` makes from the values taken (`?` on each), when every field
    /// taken was accepted; else every message.
    pub fn finish<P>(self, build: impl FnOnce() -> Option<P>) -> Result<P, FieldErrors<F>> {
        match self.errors.is_empty().then(build).flatten() {
            Some(params) => Ok(params),
            None => Err(self.errors),
        }
    }
}

/// A lab's form: the fields its current choice uses, their typed parse, and the URL.
pub trait LabForm: FormText + Clone + PartialEq + 'static {
    /// What a valid form runs with.
    type Params: Clone + PartialEq + 'static;

    /// The fields the current choice (variant, mode) uses, in form order.
    fn fields(&self) -> Vec<Self::Field>;

    /// Every field in use parsed once into the run's parameters, or every message at once.
    fn validate(&self) -> Result<Self::Params, FieldErrors<Self::Field>>;

    /// The fields whose messages `validate` gives, in form order (tests).
    #[cfg(test)]
    fn error_fields(&self) -> Vec<Self::Field> {
        self.validate()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|(field, _)| field)
            .collect()
    }

    /// A field's value in the URL; `None` leaves it out (an empty optional field).
    fn url_value(&self, field: Self::Field) -> Option<String> {
        Some(self.get(field).to_string())
    }

    /// A URL value as the field's text: by default the value itself, once the field accepts it.
    fn decode(field: Self::Field, value: &str) -> Result<String, String> {
        Self::check(field, value).map(|()| value.to_string())
    }

    /// The URL parameters: the fields in use.
    fn query(&self) -> Vec<(&'static str, String)> {
        self.fields()
            .into_iter()
            .filter_map(|f| Some((f.key(), self.url_value(f)?)))
            .collect()
    }

    /// The default form filled from URL parameters (see [`LabForm::with_query`]).
    fn from_query(query: &[(String, String)]) -> (Self, Vec<String>)
    where
        Self: Default,
    {
        Self::default().with_query(query)
    }

    /// Fills this form (the defaults) from URL parameters: unknown keys, repeated keys
    /// (the first one counts) and values the field would not accept are left out, each with
    /// a notice for the reader.
    fn with_query(mut self, query: &[(String, String)]) -> (Self, Vec<String>) {
        let mut notices = Vec::new();
        let mut seen = Vec::new();
        for (key, value) in query {
            let Some(field) = Self::Field::for_key(key) else {
                notices.push(format!("Ignored unknown URL parameter `{key}`."));
                continue;
            };
            if seen.contains(&field) {
                notices.push(format!(
                    "Ignored a repeated `{key}={}` in the URL: the first `{key}` counts.",
                    shorten(value, 40)
                ));
                continue;
            }
            seen.push(field);
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
}

/// Declares a lab's form once: the form struct (one `String` per field, with its default),
/// the field enum (URL key, label) and the struct of typed parses, plus their impls.
///
/// ```ignore
/// lab_form! {
///     /// The form as typed.
///     pub struct SpinnerForm;
///     /// A form field of the lab.
///     pub enum Field;
///     /// Every field, parsed.
///     pub struct SpinnerFields {
///         Variant / variant: Variant = "variant", "Variant", default Variant::AsyncSleep.key(), parse Variant::parse_field;
///         Seconds / seconds: f64 = "seconds", "Seconds", default "3", parse parse_seconds;
///     }
/// }
/// ```
/// `parse` is any `fn(&str) -> Result<T, String>`; its message is shown next to the field.
macro_rules! lab_form {
    (
        $(#[$form_meta:meta])* $vis:vis struct $form:ident;
        $(#[$field_meta:meta])* enum $field:ident;
        $(#[$parsed_meta:meta])* struct $parsed:ident {
            $(
                $(#[$item_meta:meta])*
                $variant:ident / $name:ident : $ty:ty = $key:literal, $label:literal,
                    default $default:expr, parse $parse:expr;
            )+
        }
    ) => {
        $(#[$field_meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $field {
            $( $(#[$item_meta])* $variant ),+
        }

        impl $crate::labs::form::FormField for $field {
            const ALL: &'static [Self] = &[$($field::$variant),+];

            fn key(self) -> &'static str {
                match self { $($field::$variant => $key),+ }
            }

            fn label(self) -> &'static str {
                match self { $($field::$variant => $label),+ }
            }
        }

        $(#[$form_meta])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        $vis struct $form {
            $( $vis $name: String ),+
        }

        impl Default for $form {
            fn default() -> Self {
                $form { $( $name: ($default).into() ),+ }
            }
        }

        $(#[$parsed_meta])*
        $vis struct $parsed {
            $( $vis $name: $crate::labs::form::Parsed<$field, $ty> ),+
        }

        impl $crate::labs::form::FormText for $form {
            type Field = $field;
            type Parsed = $parsed;

            fn get(&self, field: $field) -> &str {
                match field { $($field::$variant => &self.$name),+ }
            }

            fn set(&mut self, field: $field, value: String) {
                match field { $($field::$variant => self.$name = value),+ }
            }

            fn check(field: $field, value: &str) -> Result<(), String> {
                match field { $($field::$variant => ($parse)(value).map(drop)),+ }
            }

            fn parse(&self) -> $parsed {
                $parsed {
                    $( $name: $crate::labs::form::Parsed {
                        field: $field::$variant,
                        value: ($parse)(&self.$name),
                    } ),+
                }
            }
        }
    };
}

pub(crate) use lab_form;

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_count(text: &str) -> Result<u32, String> {
        text.trim()
            .parse()
            .map_err(|_| "Count must be a whole number.".to_string())
    }

    fn parse_name(text: &str) -> Result<String, String> {
        match text.trim() {
            "" => Err("Name must not be empty.".to_string()),
            name => Ok(name.to_string()),
        }
    }

    lab_form! {
        pub struct DemoForm;
        enum DemoField;
        struct DemoFields {
            Count / count: u32 = "count", "Count", default "3", parse parse_count;
            Name / name: String = "name", "Name", default "loiter", parse parse_name;
        }
    }

    #[derive(Clone, Debug, PartialEq)]
    pub struct DemoParams {
        count: u32,
        name: String,
    }

    impl LabForm for DemoForm {
        type Params = DemoParams;

        fn fields(&self) -> Vec<DemoField> {
            DemoField::ALL.to_vec()
        }

        fn validate(&self) -> Result<DemoParams, FieldErrors<DemoField>> {
            let fields = self.parse();
            let mut v = Validation::default();
            let count = v.take(fields.count);
            let name = v.take(fields.name);
            v.finish(|| {
                Some(DemoParams {
                    count: count?,
                    name: name?,
                })
            })
        }
    }

    #[test]
    fn declared_once_parsed_once() {
        let form = DemoForm::default();
        assert_eq!(form.get(DemoField::Count), "3");
        assert_eq!(DemoField::Name.label(), "Name");
        assert_eq!(DemoField::for_key("count"), Some(DemoField::Count));
        assert_eq!(
            form.validate(),
            Ok(DemoParams {
                count: 3,
                name: "loiter".into()
            })
        );
        let mut bad = form.clone();
        bad.set(DemoField::Count, "x".into());
        bad.set(DemoField::Name, " ".into());
        assert_eq!(
            bad.validate().unwrap_err(),
            [
                (
                    DemoField::Count,
                    "Count must be a whole number.".to_string()
                ),
                (DemoField::Name, "Name must not be empty.".to_string()),
            ]
        );
        assert!(DemoForm::check(DemoField::Count, "7").is_ok());
    }

    #[test]
    fn url_round_trip_with_notices() {
        let (form, notices) = DemoForm::default().with_query(&[
            ("count".into(), "9".into()),
            ("name".into(), "".into()),
            ("colour".into(), "red".into()),
        ]);
        assert_eq!(form.count, "9");
        assert_eq!(form.name, "loiter");
        assert_eq!(notices.len(), 2);
        assert!(notices[0].contains("`name=`") && notices[0].contains("`loiter`"));
        assert_eq!(notices[1], "Ignored unknown URL parameter `colour`.");
        assert_eq!(
            form.query(),
            [("count", "9".to_string()), ("name", "loiter".to_string())]
        );
    }

    #[test]
    fn a_repeated_url_key_keeps_the_first() {
        // The first counts; the notice names the value it ignored, never a default it did not use.
        let (form, notices) = DemoForm::default().with_query(&[
            ("count".into(), "7".into()),
            ("count".into(), "<img>".into()),
        ]);
        assert_eq!(form.count, "7");
        assert_eq!(
            notices,
            ["Ignored a repeated `count=<img>` in the URL: the first `count` counts."]
        );
    }
}
