//! Date: how a 公文 prints a date (2024年3月2日) and the ways a clerk may type one.

use chrono::{Datelike, NaiveDate};

/// A date as a 公文 prints it: 2024年3月2日 (no 虚位 0).
pub(crate) fn format(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// A date typed as text: 2024-03-02, 2024/3/2, 2024.3.2 or 2024年3月2日.
pub(crate) fn parse(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let t = t.strip_suffix('日').unwrap_or(t);
    let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月']).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_print_without_leading_zeros_and_read_in_every_accepted_form() {
        let d = chrono::NaiveDate::from_ymd_opt(2024, 3, 2).unwrap();
        assert_eq!(super::format(d), "2024年3月2日");
        for form in [
            "2024-03-02",
            "2024/3/2",
            "2024.3.2",
            "2024年3月2日",
            " 2024-3-2 ",
        ] {
            assert_eq!(super::parse(form), Some(d), "{form}");
        }
        assert_eq!(super::parse("24-3-2"), None);
        assert_eq!(super::parse("2024年13月2日"), None);
    }
}
