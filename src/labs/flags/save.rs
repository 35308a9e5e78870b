//! Saving: each flag's file name (flags3 names it after the country), the zip's entries
//! without a name taken twice, and the zip itself.

use super::choices::{Extension, Mode};
use crate::labs::choice::Choice;

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

/// The zip's files, in save order: `downloaded/{name}.{ext}` (the extension the run asked
/// for); a name already taken gets the code appended (`downloaded/Congo_CG.svg`), so no
/// file overwrites another.
pub fn zip_entries(saved: &[SavedFlag], ext: Extension) -> Vec<ZipEntry> {
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
                path: format!("{DEST_DIR}/{name}.{}", ext.key()),
                cc: flag.cc.clone(),
            }
        })
        .collect()
}

/// The zip's file name.
pub const ZIP_NAME: &str = "downloaded.zip";

/// "Save all": one `.zip` of `(path, bytes)` files, stored uncompressed (SVGs are small),
/// names in UTF-8. Written here, not with a zip crate: a stored archive is three fixed
/// records per file, and the smallest crate (`rawzip`) cost 23 KB of the app's gzipped
/// download, which must stay under 300 KB. The tests read the archives back with `rawzip`.
pub fn make_zip<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Result<Vec<u8>, String> {
    let too_big = || "could not build the zip: too many or too large files".to_string();
    let (mut output, mut directory, mut count) = (Vec::new(), Vec::new(), 0u16);
    for (path, bytes) in files {
        let name = path.as_bytes();
        let offset = u32::try_from(output.len()).map_err(|_| too_big())?;
        let size = u32::try_from(bytes.len()).map_err(|_| too_big())?;
        let name_len = u16::try_from(name.len()).map_err(|_| too_big())?;
        count = count.checked_add(1).ok_or_else(too_big)?;
        // The fields both headers share: version 2.0, UTF-8 names, stored, 1980-01-01 00:00.
        let mut common = Vec::with_capacity(26);
        for field in [20u16, 0x0800, 0, 0, 0x21] {
            common.extend_from_slice(&field.to_le_bytes());
        }
        for field in [crc32(bytes), size, size] {
            common.extend_from_slice(&field.to_le_bytes());
        }
        common.extend_from_slice(&name_len.to_le_bytes());
        // Local header, name, data.
        output.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        output.extend_from_slice(&common);
        output.extend_from_slice(&0u16.to_le_bytes()); // no extra field
        output.extend_from_slice(name);
        output.extend_from_slice(bytes);
        // Central directory entry: made by 2.0, the same fields, where the header is.
        directory.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        directory.extend_from_slice(&20u16.to_le_bytes());
        directory.extend_from_slice(&common);
        directory.extend_from_slice(&[0; 12]); // extra, comment, disk, attributes
        directory.extend_from_slice(&offset.to_le_bytes());
        directory.extend_from_slice(name);
    }
    let directory_at = u32::try_from(output.len()).map_err(|_| too_big())?;
    let directory_len = u32::try_from(directory.len()).map_err(|_| too_big())?;
    output.extend_from_slice(&directory);
    // End of central directory: one disk, `count` entries, then no comment.
    output.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    output.extend_from_slice(&[0; 4]);
    output.extend_from_slice(&count.to_le_bytes());
    output.extend_from_slice(&count.to_le_bytes());
    output.extend_from_slice(&directory_len.to_le_bytes());
    output.extend_from_slice(&directory_at.to_le_bytes());
    output.extend_from_slice(&0u16.to_le_bytes());
    Ok(output)
}

/// CRC-32 (IEEE 802.3, as zip uses it), a byte at a time from a table made at compile time.
fn crc32(bytes: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut crc = i as u32;
            let mut bit = 0;
            while bit < 8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
                bit += 1;
            }
            table[i] = crc;
            i += 1;
        }
        table
    };
    !bytes.iter().fold(!0u32, |crc, &b| {
        TABLE[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8)
    })
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
        let entries = zip_entries(
            &[
                saved("BR", "Brazil"),
                saved("CG", "Congo"),
                saved("CD", "Congo"),
                saved("XX", "congo"),
            ],
            Extension::Svg,
        );
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
        assert!(zip_entries(&[], Extension::Svg).is_empty());
        // The book's site: the files are GIFs.
        let gif = zip_entries(&[saved("BR", "BR")], Extension::Gif);
        assert_eq!(gif[0].path, "downloaded/BR.gif");
    }

    #[test]
    fn crc32_of_known_texts() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b"The quick brown fox jumps over the lazy dog"), 0x414F_A339);
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
