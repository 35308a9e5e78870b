//! The run history: one row per finished run, to compare runs side by side.

use yew::prelude::*;

/// One row per finished run, to compare runs like the books' three-run tables.
#[derive(Properties, PartialEq)]
pub struct RunHistoryProps {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    /// Published runs to compare with (the book's), below the reader's in the table's footer.
    #[prop_or_default]
    pub reference: Vec<Vec<String>>,
}

#[function_component]
pub fn RunHistory(props: &RunHistoryProps) -> Html {
    html! {
        <section class="history" aria-labelledby="history-title">
            <h2 id="history-title">{ "Run history" }</h2>
            if props.rows.is_empty() {
                <p class="muted">{ "Finished runs appear here, one row each, so you can compare them." }</p>
            }
            if !props.rows.is_empty() || !props.reference.is_empty() {
                // Focusable: on a phone the table scrolls sideways in its own box.
                <table aria-labelledby="history-title" tabindex="0">
                    <thead><tr>{ for props.columns.iter().map(|c| html! { <th scope="col">{ c }</th> }) }</tr></thead>
                    <tbody>
                        { for props.rows.iter().rev().map(|row| html! {
                            <tr>{ for row.iter().map(|cell| html! { <td>{ cell }</td> }) }</tr>
                        }) }
                    </tbody>
                    if !props.reference.is_empty() {
                        <tfoot>
                            { for props.reference.iter().map(|row| html! {
                                <tr>{ for row.iter().map(|cell| html! { <td>{ cell }</td> }) }</tr>
                            }) }
                        </tfoot>
                    }
                </table>
            }
        </section>
    }
}
