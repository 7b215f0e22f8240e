//! Title: where a long title breaks into lines.
//!
//! GB/T 9704 §7.3.1: a title that needs several lines is broken "回行时要做到词意完整，排列对称，
//! 长短适宜，间距恰当", in a 梯形 or 菱形 shape. We break only between words (jieba segments the
//! title), never before closing or after opening punctuation, into the fewest lines that fit,
//! as equal in length as the words allow; among equally balanced choices we prefer an upper line
//! at least as long as the one below it (梯形) and, for three lines, the longest in the middle
//! (菱形). The style library then sets each line centred.

use std::sync::OnceLock;

use jieba_rs::Jieba;

/// Characters of 2号 (22 pt) that fit the 156 mm 版心 width: 442.2 pt / 22 pt.
pub(crate) const TITLE_CHARS_PER_LINE: f64 = 20.0;

const NO_LINE_START: &str = "，。、；：？！）》〉」』”’】〕…—·";
const NO_LINE_END: &str = "（《〈「『“‘【〔";

fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// Width of `text` in title characters: CJK and full-width count 1, ASCII (digits) ½.
fn width(text: &str) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .sum()
}

/// Breaks `title` into lines of at most `max` characters (see the module text). A title with
/// line breaks of its own keeps them.
pub(crate) fn lines(title: &str, max: f64) -> Vec<String> {
    let title = title.trim();
    if title.contains('\n') {
        // The clerk's own breaks are kept; a line still too long is broken again.
        return title
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .flat_map(|l| lines(l, max))
            .collect();
    }
    if width(title) <= max {
        return vec![title.to_string()];
    }
    // Break opportunities: between jieba's words, but not before closing / after opening marks.
    let words = jieba().cut(title, true);
    let mut cuts = vec![0usize];
    let mut at = 0;
    for w in &words {
        at += w.word.len();
        let next = title[at..].chars().next();
        let last = title[..at].chars().next_back();
        if at < title.len()
            && !next.is_some_and(|c| NO_LINE_START.contains(c))
            && !last.is_some_and(|c| NO_LINE_END.contains(c))
        {
            cuts.push(at);
        }
    }
    cuts.push(title.len());
    let total = width(title);
    for n in (total / max).ceil() as usize..=cuts.len() - 1 {
        if let Some(best) = best_split(title, &cuts, n, max, total / n as f64) {
            return best;
        }
    }
    // No word-aligned split fits (one "word" longer than a line): fall back to characters.
    title
        .chars()
        .collect::<Vec<_>>()
        .chunks(max as usize)
        .map(|c| c.iter().collect())
        .collect()
}

/// The best way to cut `title` at `cuts` into `n` lines of at most `max`, or none.
fn best_split(title: &str, cuts: &[usize], n: usize, max: f64, target: f64) -> Option<Vec<String>> {
    let mut best: Option<(f64, Vec<usize>)> = None;
    let mut chosen = vec![0usize];
    search(title, cuts, n, max, target, 1, &mut chosen, &mut best);
    best.map(|(_, ends)| {
        ends.windows(2)
            .map(|w| title[w[0]..w[1]].to_string())
            .collect()
    })
}

#[allow(clippy::too_many_arguments)]
fn search(
    title: &str,
    cuts: &[usize],
    n: usize,
    max: f64,
    target: f64,
    from: usize,
    chosen: &mut Vec<usize>,
    best: &mut Option<(f64, Vec<usize>)>,
) {
    let start = *chosen.last().expect("starts with 0");
    if chosen.len() == n {
        let last = width(&title[start..]);
        if last <= max {
            let mut ends = chosen.clone();
            ends.push(title.len());
            let score = score(title, &ends, target);
            if best.as_ref().is_none_or(|(s, _)| score < *s) {
                *best = Some((score, ends));
            }
        }
        return;
    }
    for (i, &cut) in cuts.iter().enumerate().skip(from) {
        if cut >= title.len() {
            break;
        }
        let w = width(&title[start..cut]);
        if w > max {
            break;
        }
        if w == 0.0 {
            continue;
        }
        chosen.push(cut);
        search(title, cuts, n, max, target, i + 1, chosen, best);
        chosen.pop();
    }
}

/// Lower is better: squared distance from equal lengths, plus a small penalty when the shape is
/// neither 梯形 (upper lines not shorter) nor, for three or more lines, 菱形.
fn score(title: &str, ends: &[usize], target: f64) -> f64 {
    let widths: Vec<f64> = ends.windows(2).map(|w| width(&title[w[0]..w[1]])).collect();
    let balance: f64 = widths.iter().map(|w| (w - target).powi(2)).sum();
    let trapezoid = widths.windows(2).all(|p| p[0] >= p[1]);
    let peak = widths.iter().cloned().fold(f64::MIN, f64::max);
    let diamond = widths.len() >= 3 && widths[1..widths.len() - 1].contains(&peak);
    balance + if trapezoid || diamond { 0.0 } else { 0.5 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_titles_stay_on_one_line() {
        assert_eq!(
            lines("关于非煤矿山安全生产工作问题的整改报告", 20.0),
            ["关于非煤矿山安全生产工作问题的整改报告"]
        );
    }

    #[test]
    fn long_titles_break_between_words_in_balanced_lines() {
        let t = "山西省应急管理厅关于持续推进非煤矿山安全生产专项整治三年行动工作有效落实的督办函";
        let l = lines(t, 20.0);
        assert_eq!(l.concat(), t);
        assert_eq!(l.len(), 2);
        for line in &l {
            assert!(width(line) <= 20.0, "{line}");
        }
        // Balanced within a word's length, and no word split: 安全 / 矿山 / 专项 stay whole.
        assert!((width(&l[0]) - width(&l[1])).abs() <= 4.0, "{l:?}");
        for word in ["安全", "矿山", "专项", "整治", "督办函"] {
            assert!(
                l.iter().any(|x| x.contains(word)),
                "{word} was split: {l:?}"
            );
        }
    }

    #[test]
    fn no_line_starts_with_closing_or_ends_with_opening_punctuation() {
        let t = "石家庄市人民政府关于《国家矿山安全监察局河北局关于加强和改善矿山安全监管工作的建议函》整改情况的报告";
        let l = lines(t, 20.0);
        assert_eq!(l.concat(), t);
        for line in &l {
            assert!(
                !NO_LINE_START.contains(line.chars().next().unwrap()),
                "{l:?}"
            );
            assert!(!NO_LINE_END.contains(line.chars().last().unwrap()), "{l:?}");
            assert!(width(line) <= 20.0, "{l:?}");
        }
        assert_eq!(l.len(), 3);
    }

    #[test]
    fn the_clerks_own_line_breaks_are_kept() {
        assert_eq!(lines("关于某事\n的报告", 20.0), ["关于某事", "的报告"]);
        let l = lines(
            "国家矿山安监局召开党组会\n强调真正以“时时放心不下”的责任感狠抓执行\n全力确保矿山安全度汛",
            20.0,
        );
        assert_eq!(l[0], "国家矿山安监局召开党组会");
        assert!(l.len() == 4 && l.iter().all(|x| width(x) <= 20.0), "{l:?}");
    }
}
