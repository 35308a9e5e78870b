//! tqdm's progress line, as flags2 shows it without `-v`.

/// tqdm's `format_interval`: `MM:SS`, or `H:MM:SS` from an hour on (whole seconds, truncated).
pub fn format_interval(seconds: f64) -> String {
    let t = if seconds.is_finite() {
        seconds.trunc().abs() as u64
    } else {
        0
    };
    let sign = if seconds < 0.0 { "-" } else { "" };
    let (mins, s) = (t / 60, t % 60);
    let (h, m) = (mins / 60, mins % 60);
    if h > 0 {
        format!("{sign}{h}:{m:02}:{s:02}")
    } else {
        format!("{sign}{m:02}:{s:02}")
    }
}

/// tqdm's smooth-block characters: blank, ⅛ … ⅞, full.
const TQDM_BLOCKS: [char; 9] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
const TQDM_BAR_WIDTH: usize = 10;

/// tqdm's default meter (`tqdm.format_meter(done, total, elapsed_s)`, no terminal width):
/// ` 45%|████▌     | 9/20 [00:01<00:01,  6.08it/s]`. The rate is the average
/// (`done / elapsed`, `{:5.2f}`), shown as `s/it` below one per second; `?` before the
/// first item. (A live tqdm smooths the rate it shows; its final line is the same.)
pub fn tqdm_line(done: usize, total: usize, elapsed_s: f64) -> String {
    let elapsed_str = format_interval(elapsed_s);
    let rate = (elapsed_s != 0.0)
        .then(|| done as f64 / elapsed_s)
        .filter(|r| *r != 0.0);
    let rate_fmt = match rate {
        Some(r) if 1.0 / r > 1.0 => format!("{:5.2}s/it", 1.0 / r),
        Some(r) => format!("{r:5.2}it/s"),
        None => "?it/s".to_string(),
    };
    if total == 0 {
        return format!("{done}it [{elapsed_str}, {rate_fmt}]");
    }
    let remaining_str = match rate {
        Some(r) => format_interval(total.saturating_sub(done) as f64 / r),
        None => "?".to_string(),
    };
    let frac = (done as f64 / total as f64).clamp(0.0, 1.0);
    let percentage = frac * 100.0;
    let nsyms = TQDM_BLOCKS.len() - 1;
    let cells = (frac * TQDM_BAR_WIDTH as f64 * nsyms as f64) as usize;
    let (full, partial) = (cells / nsyms, cells % nsyms);
    let mut bar: String = std::iter::repeat_n(TQDM_BLOCKS[nsyms], full).collect();
    if full < TQDM_BAR_WIDTH {
        bar.push(TQDM_BLOCKS[partial]);
        bar.extend(std::iter::repeat_n(' ', TQDM_BAR_WIDTH - full - 1));
    }
    format!("{percentage:3.0}%|{bar}| {done}/{total} [{elapsed_str}<{remaining_str}, {rate_fmt}]")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference strings from tqdm 4.70.1: `tqdm.std.tqdm.format_meter(n, total, elapsed)`.
    const TQDM: [(usize, usize, f64, &str); 35] = [
        (0, 20, 0.0, "  0%|          | 0/20 [00:00<?, ?it/s]"),
        (0, 20, 1.0, "  0%|          | 0/20 [00:01<?, ?it/s]"),
        (
            9,
            20,
            1.48,
            " 45%|████▌     | 9/20 [00:01<00:01,  6.08it/s]",
        ),
        (
            20,
            20,
            1.31,
            "100%|██████████| 20/20 [00:01<00:00, 15.27it/s]",
        ),
        (1, 20, 2.5, "  5%|▌         | 1/20 [00:02<00:47,  2.50s/it]"),
        (2, 20, 5.0, " 10%|█         | 2/20 [00:05<00:45,  2.50s/it]"),
        (1, 8, 0.3, " 12%|█▎        | 1/8 [00:00<00:02,  3.33it/s]"),
        (3, 8, 100.0, " 38%|███▊      | 3/8 [01:40<02:46, 33.33s/it]"),
        (
            676,
            676,
            3725.0,
            "100%|██████████| 676/676 [1:02:05<00:00,  5.51s/it]",
        ),
        (
            5,
            676,
            0.2,
            "  1%|          | 5/676 [00:00<00:26, 25.00it/s]",
        ),
        (1, 3, 0.5, " 33%|███▎      | 1/3 [00:00<00:01,  2.00it/s]"),
        (2, 3, 0.5, " 67%|██████▋   | 2/3 [00:00<00:00,  4.00it/s]"),
        (
            77,
            78,
            1.7,
            " 99%|█████████▊| 77/78 [00:01<00:00, 45.29it/s]",
        ),
        (
            43,
            78,
            1.72,
            " 55%|█████▌    | 43/78 [00:01<00:01, 25.00it/s]",
        ),
        (
            100,
            100,
            0.64,
            "100%|██████████| 100/100 [00:00<00:00, 156.25it/s]",
        ),
        (1, 1, 0.05, "100%|██████████| 1/1 [00:00<00:00, 20.00it/s]"),
        (0, 1, 0.0, "  0%|          | 0/1 [00:00<?, ?it/s]"),
        (
            10,
            20,
            10.0,
            " 50%|█████     | 10/20 [00:10<00:10,  1.00it/s]",
        ),
        (
            10,
            20,
            10.01,
            " 50%|█████     | 10/20 [00:10<00:10,  1.00s/it]",
        ),
        (
            676,
            676,
            0.5,
            "100%|██████████| 676/676 [00:00<00:00, 1352.00it/s]",
        ),
        (
            1,
            2,
            7200.0,
            " 50%|█████     | 1/2 [2:00:00<2:00:00, 7200.00s/it]",
        ),
        (0, 0, 0.0, "0it [00:00, ?it/s]"),
        (3, 0, 1.5, "3it [00:01,  2.00it/s]"),
        (
            12,
            20,
            59.99,
            " 60%|██████    | 12/20 [00:59<00:39,  5.00s/it]",
        ),
        (
            12,
            20,
            60.0,
            " 60%|██████    | 12/20 [01:00<00:40,  5.00s/it]",
        ),
        (
            19,
            20,
            0.999,
            " 95%|█████████▌| 19/20 [00:00<00:00, 19.02it/s]",
        ),
        (1, 80, 1.0, "  1%|▏         | 1/80 [00:01<01:19,  1.00it/s]"),
        (2, 80, 1.0, "  2%|▎         | 2/80 [00:01<00:39,  2.00it/s]"),
        (3, 80, 1.0, "  4%|▍         | 3/80 [00:01<00:25,  3.00it/s]"),
        (4, 80, 1.0, "  5%|▌         | 4/80 [00:01<00:19,  4.00it/s]"),
        (5, 80, 1.0, "  6%|▋         | 5/80 [00:01<00:15,  5.00it/s]"),
        (6, 80, 1.0, "  8%|▊         | 6/80 [00:01<00:12,  6.00it/s]"),
        (7, 80, 1.0, "  9%|▉         | 7/80 [00:01<00:10,  7.00it/s]"),
        (8, 80, 1.0, " 10%|█         | 8/80 [00:01<00:09,  8.00it/s]"),
        (9, 80, 1.0, " 11%|█▏        | 9/80 [00:01<00:07,  9.00it/s]"),
    ];

    #[test]
    fn tqdm_line_matches_tqdm() {
        for (done, total, elapsed, want) in TQDM {
            assert_eq!(
                tqdm_line(done, total, elapsed),
                want,
                "{done}/{total} at {elapsed}"
            );
        }
    }

    #[test]
    fn tqdm_bar_is_ten_cells_and_grows() {
        // The bar's length in eighths of a cell never shrinks, and is 80 only when done.
        let eighths = |bar: &str| -> usize {
            bar.chars()
                .map(|c| TQDM_BLOCKS.iter().position(|b| *b == c).unwrap())
                .sum()
        };
        let mut previous = 0;
        for done in 0..=676 {
            let line = tqdm_line(done, 676, 1.0 + done as f64);
            let bar = line.split('|').nth(1).unwrap();
            assert_eq!(bar.chars().count(), 10, "{line}");
            let length = eighths(bar);
            assert!(length >= previous, "{line}");
            assert_eq!(length == 80, done == 676, "{line}");
            assert_eq!(length, done * 80 / 676, "{line}");
            previous = length;
        }
        assert_eq!(format_interval(59.999), "00:59");
        assert_eq!(format_interval(3599.0), "59:59");
        assert_eq!(format_interval(3600.0), "1:00:00");
        assert_eq!(format_interval(-1.5), "-00:01");
    }
}
