//! Similar: how alike two texts are, character by character (a hanzi is one character), for
//! suggestions (the header or name probably meant) and for near-duplicate items.

/// Edit similarity: 1 − Levenshtein distance / length of the longer, over characters.
pub(crate) fn edit(a: &str, b: &str) -> f64 {
    rapidfuzz::distance::levenshtein::normalized_similarity(a.chars(), b.chars())
}

/// Containment: the longest common subsequence over the length of the shorter text. An item
/// repeated inside a longer one (seed 002's 19 within 4) scores 1.
pub(crate) fn contained(a: &str, b: &str) -> f64 {
    let shorter = a.chars().count().min(b.chars().count());
    if shorter == 0 {
        return 0.0;
    }
    rapidfuzz::distance::lcs_seq::similarity(a.chars(), b.chars()) as f64 / shorter as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_compared_by_character() {
        assert!((edit("整改状态", "整改状况") - 0.75).abs() < 1e-9);
        assert_eq!(
            contained("组织专家会诊", "会同有关部门组织专家会诊并整改"),
            1.0
        );
        assert!(contained("推广先进装备", "清理排洪设施") < 0.2);
        assert_eq!(edit("", ""), 1.0);
    }
}
