//! The options a form offers in a `<select>` (a variant, a mode, a server): declared once
//! with [`choices!`], which writes the enum, its URL keys and its option texts.

/// An option enum: every value, its URL key and its option text.
pub trait Choice: Copy + PartialEq + std::fmt::Debug + 'static {
    /// Every option, in the order the `<select>` lists them.
    const ALL: &'static [Self];
    /// What the field is called in messages ("Variant", "Mode").
    const TITLE: &'static str;

    /// The URL value (and the `<option>`'s value).
    fn key(self) -> &'static str;
    /// The option's text.
    fn label(self) -> &'static str;

    /// The option whose key is `text`, ignoring case and surrounding blanks.
    fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        Self::ALL
            .iter()
            .copied()
            .find(|c| c.key().eq_ignore_ascii_case(text))
    }

    /// [`Choice::parse`] as a form field's parser: the message lists the keys.
    fn parse_field(text: &str) -> Result<Self, String> {
        Self::parse(text).ok_or_else(|| not_one_of(Self::TITLE, &Self::options()))
    }

    /// `(value, text)` for each `<option>`.
    fn options() -> Vec<(&'static str, &'static str)> {
        Self::ALL.iter().map(|c| (c.key(), c.label())).collect()
    }
}

/// `Mode must be one of a, b.`: written once, not once per option type.
fn not_one_of(title: &str, options: &[(&str, &str)]) -> String {
    let keys: Vec<&str> = options.iter().map(|(key, _)| *key).collect();
    format!("{title} must be one of {}.", keys.join(", "))
}

/// Declares an option enum and its [`Choice`] impl:
///
/// ```ignore
/// choices! {
///     /// What `slow()` does, and where.
///     pub enum Variant: "Variant" {
///         AsyncSleep = "async-sleep" => "async-sleep — await sleep(s): non-blocking",
///         BlockingSleep = "blocking-sleep" => "blocking-sleep — time.sleep(s) in a coroutine",
///     }
/// }
/// ```
macro_rules! choices {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : $title:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $key:literal => $label:expr ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $crate::labs::choice::Choice for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            const TITLE: &'static str = $title;

            fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }
    };
}

pub(crate) use choices;

#[cfg(test)]
mod tests {
    use super::*;

    choices! {
        enum Colour: "Colour" {
            Red = "red" => "Red, like a stop sign",
            DarkBlue = "dark-blue" => "Dark blue",
        }
    }

    #[test]
    fn keys_labels_and_parsing() {
        assert_eq!(Colour::ALL, &[Colour::Red, Colour::DarkBlue]);
        assert_eq!(Colour::DarkBlue.key(), "dark-blue");
        assert_eq!(Colour::Red.label(), "Red, like a stop sign");
        assert_eq!(Colour::parse(" Dark-Blue "), Some(Colour::DarkBlue));
        assert_eq!(Colour::parse("green"), None);
        assert_eq!(
            Colour::parse_field("green").unwrap_err(),
            "Colour must be one of red, dark-blue."
        );
        assert_eq!(
            Colour::options(),
            [("red", "Red, like a stop sign"), ("dark-blue", "Dark blue")]
        );
    }
}
