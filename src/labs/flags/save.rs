//! Saving: each flag's file name (flags3 names it after the country), the zip's entries
//! without a name taken twice, and the zip itself.

use super::choices::Mode;
use super::server::FLAG_EXT;

/// The folder the scripts save to, and the zip's folder.
pub const DEST_DIR: &str = "downloaded";

/// A file name from a country name: spaces become `_` (flags3_asyncio.py's
/// `country.replace(' ', '_')`), and so does anything but letters, digits, `-`, `_` and
/// `.`; runs of `_` collapse, and `_`/`.` are trimmed from the ends. `None` if nothing is left.
pub fn sanitize_file_name(country: &str) -> Option<String> {
    let mut out = String::new();
    for c in country.chars() {
        let c = if c.is_alphanumeric() || matches!(c, '-' | '.') {
            c
        } else {
            '_'
        };
        if !(c == '_' && out.ends_with('_')) {
            out.push(c);
        }
    }
    let name: String = out
        .trim_matches(|c| c == '_' || c == '.')
        .chars()
        .take(100)
        .collect();
    (!name.is_empty()).then_some(name)
}

/// The saved file's name without the extension: the code (`BR`), or for flags3 the
/// country (`Brazil`, `United_States`), falling back to the code.
pub fn save_name(mode: Mode, cc: &str, country: Option<&str>) -> String {
    match (mode, country.and_then(sanitize_file_name)) {
        (Mode::Flags3, Some(name)) => name,
        _ => cc.to_string(),
    }
}

/// A saved flag (the view keeps the bytes, keyed by code).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedFlag {
    pub cc: String,
    /// The file name without the extension, from [`save_name`].
    pub name: String,
    pub bytes: usize,
}

/// One file of the zip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZipEntry {
    /// `downloaded/BR.svg`, `downloaded/Brazil.svg`.
    pub path: String,
    pub cc: String,
}

/// The zip's files, in save order: `downloaded/{name}.svg`; a name already taken gets the
/// code appended (`downloaded/Congo_CG.svg`), so no file overwrites another.
pub fn zip_entries(saved: &[SavedFlag]) -> Vec<ZipEntry> {
    let mut taken = std::collections::HashSet::new();
    saved
        .iter()
        .map(|flag| {
            let mut name = flag.name.clone();
            if !taken.insert(name.to_ascii_lowercase()) {
                name = format!("{}_{}", flag.name, flag.cc);
                let mut n = 2;
                while !taken.insert(name.to_ascii_lowercase()) {
                    name = format!("{}_{}_{n}", flag.name, flag.cc);
                    n += 1;
                }
            }
            ZipEntry {
                path: format!("{DEST_DIR}/{name}.{FLAG_EXT}"),
                cc: flag.cc.clone(),
            }
        })
        .collect()
}

/// The zip's file name.
pub const ZIP_NAME: &str = "downloaded.zip";

/// "Save all": one `.zip` of `(path, bytes)` files, stored uncompressed (SVGs are small).
/// Written with `rawzip`, a dependency-free zip crate: measured in the release app it costs
/// 23 KB (gzip), the `zip` crate (no default features) 33 KB.
pub fn make_zip<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Result<Vec<u8>, String> {
    use std::io::Write;
    // Writing to memory cannot fail but on a malformed name; the message stays plain so the
    // app carries no error formatting for it.
    let text = |_| "could not build the zip".to_string();
    let mut output = Vec::new();
    let mut archive = rawzip::ZipArchiveWriter::new(&mut output);
    for (path, bytes) in files {
        let (mut entry, config) = archive
            .new_file(path)
            .compression_method(rawzip::CompressionMethod::STORE)
            .start()
            .map_err(text)?;
        let mut writer = config.wrap(&mut entry);
        writer
            .write_all(bytes)
            .map_err(|_| "could not build the zip".to_string())?;
        let (_, descriptor) = writer.finish().map_err(text)?;
        entry.finish(descriptor).map_err(text)?;
    }
    archive.finish().map_err(text)?;
    Ok(output)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        assert_eq!(sanitize_file_name("Brazil").unwrap(), "Brazil");
        assert_eq!(
            sanitize_file_name("United States of America").unwrap(),
            "United_States_of_America"
        );
        assert_eq!(
            sanitize_file_name("Côte d'Ivoire").unwrap(),
            "Côte_d_Ivoire"
        );
        assert_eq!(
            sanitize_file_name("Virgin Islands (U.S.)").unwrap(),
            "Virgin_Islands_U.S"
        );
        assert_eq!(
            sanitize_file_name("Bonaire, Sint Eustatius and Saba").unwrap(),
            "Bonaire_Sint_Eustatius_and_Saba"
        );
        assert_eq!(
            sanitize_file_name("../../etc/passwd").unwrap(),
            "etc_passwd"
        );
        assert_eq!(sanitize_file_name(" ... "), None);
        assert_eq!(
            sanitize_file_name("Guinea-Bissau").unwrap(),
            "Guinea-Bissau"
        );
        assert_eq!(sanitize_file_name(&"x".repeat(300)).unwrap().len(), 100);
        assert_eq!(save_name(Mode::Flags3, "BR", Some("Brazil")), "Brazil");
        assert_eq!(save_name(Mode::Flags3, "XX", Some("//")), "XX");
        assert_eq!(save_name(Mode::Flags3, "XX", None), "XX");
        assert_eq!(save_name(Mode::Flags2, "BR", Some("Brazil")), "BR");
    }

    #[test]
    fn zip_entries_are_unique() {
        let saved = |cc: &str, name: &str| SavedFlag {
            cc: cc.to_string(),
            name: name.to_string(),
            bytes: 10,
        };
        let entries = zip_entries(&[
            saved("BR", "Brazil"),
            saved("CG", "Congo"),
            saved("CD", "Congo"),
            saved("XX", "congo"),
        ]);
        let paths: Vec<&str> = entries.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "downloaded/Brazil.svg",
                "downloaded/Congo.svg",
                "downloaded/Congo_CD.svg",
                "downloaded/congo_XX.svg"
            ]
        );
        assert_eq!(entries[2].cc, "CD");
        assert!(zip_entries(&[]).is_empty());
    }

    #[test]
    fn zip_holds_every_saved_file() {
        let files = [
            ("downloaded/Brazil.svg", b"<svg>br</svg>".as_slice()),
            ("downloaded/China.svg", b"<svg/>".as_slice()),
        ];
        let bytes = make_zip(files).unwrap();
        let archive = rawzip::ZipArchive::from_slice(&bytes).unwrap();
        let mut entries = archive.entries();
        let mut found = Vec::new();
        while let Some(entry) = entries.next_entry().unwrap() {
            let path = entry
                .file_path()
                .try_normalize()
                .unwrap()
                .as_ref()
                .to_string();
            let data = archive
                .get_entry(entry.wayfinder())
                .unwrap()
                .data()
                .to_vec();
            found.push((path, data));
        }
        assert_eq!(
            found,
            vec![
                (
                    "downloaded/Brazil.svg".to_string(),
                    b"<svg>br</svg>".to_vec()
                ),
                ("downloaded/China.svg".to_string(), b"<svg/>".to_vec()),
            ]
        );
    }
}
