//! A table of results under its own heading (a lab's measured table beside the book's).

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ResultTableProps {
    /// The heading's id, for the table's accessible name.
    pub id: AttrValue,
    pub title: AttrValue,
    /// A line under the heading: what the numbers are.
    #[prop_or_default]
    pub note: Option<AttrValue>,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    /// Shown instead of the table while there are no rows.
    pub empty: AttrValue,
}

#[function_component]
pub fn ResultTable(props: &ResultTableProps) -> Html {
    html! {
        <section class="history result-table" aria-labelledby={props.id.clone()}>
            <h2 id={props.id.clone()}>{ props.title.clone() }</h2>
            if let Some(note) = &props.note {
                <p class="muted">{ note.clone() }</p>
            }
            if props.rows.is_empty() {
                <p class="muted">{ props.empty.clone() }</p>
            } else {
                // Focusable: on a phone the table scrolls sideways in its own box.
                <table aria-labelledby={props.id.clone()} tabindex="0">
                    <thead><tr>{ for props.columns.iter().map(|c| html! { <th scope="col">{ c }</th> }) }</tr></thead>
                    <tbody>
                        { for props.rows.iter().map(|row| html! {
                            <tr>{ for row.iter().map(|cell| html! { <td>{ cell }</td> }) }</tr>
                        }) }
                    </tbody>
                </table>
            }
        </section>
    }
}
