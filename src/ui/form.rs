//! The form's pieces: a labelled field with its message, and the hook that keeps a lab's
//! form (raw text, per-field messages, the URL) — with labelled `select`/`text` controls.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::labs::Lab;
use crate::labs::choice::Choice;
use crate::labs::form::{FieldErrors, FormField, LabForm};
use crate::route::{Page, to_hash};
use crate::runtime::location;

/// A form row: a visible `<label>`, the control, and the field's error beside it.
#[derive(Properties, PartialEq)]
pub struct FieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    #[prop_or_default]
    pub error: Option<String>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// Spans two grid columns (long option texts, lists).
    #[prop_or_default]
    pub wide: bool,
    pub children: Html,
}

#[function_component]
pub fn Field(props: &FieldProps) -> Html {
    let invalid = props.error.is_some();
    html! {
        <div class={classes!("field", invalid.then_some("invalid"), props.wide.then_some("wide"))}>
            <label for={props.id.clone()}>{ &props.label }</label>
            { props.children.clone() }
            if let Some(hint) = &props.hint {
                <p class="hint">{ hint }</p>
            }
            if let Some(error) = &props.error {
                <p class="field-error" id={format!("{}-error", props.id)} role="alert">{ error }</p>
            }
        </div>
    }
}

/// Reads the value of the input/select/textarea that fired `event`.
pub fn event_value(event: &Event) -> String {
    use wasm_bindgen::JsCast;
    let target = event.target();
    if let Some(input) = target
        .clone()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        input.value()
    } else if let Some(select) = target
        .clone()
        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
    {
        select.value()
    } else if let Some(area) =
        target.and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    {
        area.value()
    } else {
        String::new()
    }
}

/// A lab page's form: the typed text, the message per field, and the edit callback.
pub struct FormHandle<F: LabForm> {
    /// The lab: its key prefixes every control's id (`spinner-seconds`), its route the URL.
    pub lab: &'static Lab,
    /// The form as last rendered.
    pub form: UseStateHandle<F>,
    /// The form as last edited: an edit re-renders the page a moment later, and a Run (or
    /// another edit) in between must see it — a click right after typing runs what was typed.
    latest: Rc<RefCell<F>>,
    pub errors: UseStateHandle<FieldErrors<F::Field>>,
    /// Takes an edit: stores it, re-checks that field at once and rewrites the URL.
    pub on_edit: Callback<(F::Field, String)>,
}

impl<F: LabForm> Clone for FormHandle<F> {
    fn clone(&self) -> Self {
        FormHandle {
            lab: self.lab,
            form: self.form.clone(),
            latest: self.latest.clone(),
            errors: self.errors.clone(),
            on_edit: self.on_edit.clone(),
        }
    }
}

impl<F: LabForm> FormHandle<F> {
    /// Parses the form for Run: its parameters, or `None` with every message shown. The
    /// URL then carries every parameter that runs, defaults too, so the run can be shared.
    pub fn params(&self) -> Option<F::Params> {
        let form = self.latest.borrow().clone();
        match form.validate() {
            Ok(params) => {
                self.errors.set(Vec::new());
                write_url(self.lab, &form);
                Some(params)
            }
            Err(found) => {
                self.errors.set(found);
                None
            }
        }
    }

    /// A button's callback: `then(params)` when the form is valid; otherwise the form shows
    /// why, and nothing runs.
    pub fn when_valid(&self, then: impl Fn(F::Params) + 'static) -> Callback<()> {
        let fields = self.clone();
        Callback::from(move |()| {
            if let Some(params) = fields.params() {
                then(params);
            }
        })
    }

    pub fn error_of(&self, field: F::Field) -> Option<String> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, e)| e.clone())
    }

    /// The control's id; its error message's is the same with `-error`.
    pub fn id(&self, field: F::Field) -> String {
        format!("{}-{}", self.lab.key, field.key())
    }

    /// The `oninput`/`onchange` handler of a control that edits `field`.
    pub fn edit<E: AsRef<Event> + 'static>(&self, field: F::Field) -> Callback<E> {
        self.on_edit
            .reform(move |event: E| (field, event_value(event.as_ref())))
    }

    /// A labelled `<select>` of a [`Choice`]'s options, showing the option the run would
    /// use: the one `C::parse` reads from the field's text.
    pub fn choice<C: Choice>(&self, field: F::Field, wide: bool, disabled: bool) -> Html {
        self.choice_showing(field, C::parse(self.form.get(field)), wide, disabled)
    }

    /// A labelled `<select>` of a [`Choice`]'s options showing `current`: for a field whose
    /// empty text means a default that depends on another field.
    pub fn choice_showing<C: Choice>(
        &self,
        field: F::Field,
        current: Option<C>,
        wide: bool,
        disabled: bool,
    ) -> Html {
        self.select(field, C::options(), current.map(C::key), wide, disabled)
    }

    /// The `<select>` itself, one copy per form rather than per option type.
    fn select(
        &self,
        field: F::Field,
        options: Vec<(&'static str, &'static str)>,
        current: Option<&'static str>,
        wide: bool,
        disabled: bool,
    ) -> Html {
        let id = self.id(field);
        html! {
            <Field id={id.clone()} label={field.label()} error={self.error_of(field)} {wide}>
                <select {id} {disabled} onchange={self.edit::<Event>(field)}>
                    { for options.into_iter().map(|(value, text)| html! {
                        <option {value} selected={Some(value) == current}>{ text }</option>
                    }) }
                </select>
            </Field>
        }
    }

    /// A labelled text input, with its message (and `aria-invalid`) when the text is not accepted.
    pub fn text(
        &self,
        field: F::Field,
        hint: Option<&'static str>,
        placeholder: Option<String>,
        wide: bool,
        disabled: bool,
    ) -> Html {
        let id = self.id(field);
        let error = self.error_of(field);
        html! {
            <Field id={id.clone()} label={field.label()} error={error.clone()} hint={hint.map(AttrValue::from)} {wide}>
                <input id={id.clone()} type="text" value={self.form.get(field).to_string()} oninput={self.edit::<InputEvent>(field)}
                    {disabled} {placeholder} aria-invalid={error.is_some().then_some("true")}
                    aria-describedby={error.is_some().then(|| format!("{id}-error"))} />
            </Field>
        }
    }
}

#[hook]
pub fn use_lab_form<F: LabForm>(lab: &'static Lab, initial: F) -> FormHandle<F> {
    let latest = use_mut_ref(|| initial.clone());
    let form = use_state(|| initial);
    let errors = use_state(FieldErrors::<F::Field>::new);
    let on_edit = {
        let (form, latest, errors) = (form.clone(), latest.clone(), errors.clone());
        Callback::from(move |(field, value): (F::Field, String)| {
            let mut next = latest.borrow().clone();
            next.set(field, value);
            *latest.borrow_mut() = next.clone();
            let mut next_errors: Vec<_> = errors
                .iter()
                .filter(|(f, _)| *f != field)
                .cloned()
                .collect();
            if let Err(message) = F::check(field, next.get(field)) {
                next_errors.push((field, message));
            }
            write_url(lab, &next);
            errors.set(next_errors);
            form.set(next);
        })
    };
    FormHandle {
        lab,
        form,
        latest,
        errors,
        on_edit,
    }
}

/// Puts the form's fields in use into the URL, without a new history entry.
fn write_url<F: LabForm>(lab: &'static Lab, form: &F) {
    let query = form.query();
    let pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
    location::replace_hash(&to_hash(Page::Lab(lab), &pairs));
}
