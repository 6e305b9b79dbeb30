//! Forms by their wording: the applicant's own request or declaration, which no lookup
//! replaces, told apart from evidence by the words a row opens with.

use super::text::{PhraseSet, phrase_end, previous_word_is};
use std::sync::LazyLock;

/// Openings of a form: the applicant's request, declaration or commitment. "đơn" and
/// "phiếu" are checked apart ([`opens_as_form`]).
const FORM_OPENINGS: [&str; 21] = [
    "tờ khai",
    "tờ trình",
    "bản khai",
    "bản kê khai",
    "bản tự khai",
    "giấy đề nghị",
    "văn bản đề nghị",
    "văn bản yêu cầu",
    "văn bản cam kết",
    "văn bản cam đoan",
    "bản cam kết",
    "bản cam đoan",
    "cam kết",
    "cam đoan",
    "công văn đề nghị",
    "đề nghị",
    "mẫu",
    "biểu mẫu",
    "bản đăng ký",
    "phiếu đăng ký",
    "bản tường trình",
];

/// Words after "đơn" that make another word: "đơn vị" (unit), "đơn giá", "đơn thuốc"
/// (a prescription: evidence), "đơn hàng", "đơn đặt hàng" (an order), "đơn giản".
const NOT_DON: [&str; 8] = ["vị", "giá", "thuốc", "hàng", "đặt", "giản", "lẻ", "thuần"];

/// What a "phiếu" asks or declares within its next words ("Phiếu khai báo tạm trú", "Phiếu đề
/// nghị giải quyết thủ tục về căn cước"), unlike "Phiếu lý lịch tư pháp" or "Phiếu kết quả …".
const PHIEU_FORM_WORDS: [&str; 8] = ["đề nghị", "yêu cầu", "khai", "đăng ký", "xin", "thu nhận", "thu thập", "cung cấp thông tin"];

/// How many words after "phiếu" may hold one of [`PHIEU_FORM_WORDS`].
const PHIEU_REACH: usize = 4;

/// Openings of evidence: papers an authority issues, even when the row cites their template
/// ("Giấy xác nhận thông tin về cư trú (Mẫu CT07)").
const EVIDENCE_OPENINGS: [&str; 28] = [
    "giấy chứng nhận",
    "chứng nhận",
    "giấy xác nhận",
    "xác nhận",
    "văn bản xác nhận",
    "giấy phép",
    "giấy báo",
    "giấy giới thiệu",
    "giấy chứng",
    "giấy khai sinh",
    "giấy đăng ký",
    "quyết định",
    "thẻ",
    "sổ",
    "bằng",
    "văn bằng",
    "chứng chỉ",
    "trích lục",
    "biên bản",
    "phiếu",
    "hộ chiếu",
    "kết luận",
    "thông báo",
    "hợp đồng",
    "bản án",
    "chứng từ",
    "hóa đơn",
    "giấy khám",
];

/// How many chars of a key [`opening`] reads.
const OPENING_REACH: usize = 64;

/// Whether a lowered wording cites a template: a form file glued to it, or "mẫu" after
/// "theo" or "(" or before "số" or a form code ("theo mẫu", "(Mẫu CT01)", "mẫu số 02", "mẫu
/// NA17"); not "biểu mẫu và các tài liệu khác" or "mẫu con dấu" (a seal's specimen).
pub(super) fn cites_template(low: &[char], had_file: bool) -> bool {
    had_file || (0..low.len()).any(|i| low[i] == 'm' && phrase_end(low, i, "mẫu").is_some_and(|end| cited_at(low, i, end)))
}

fn cited_at(low: &[char], start: usize, end: usize) -> bool {
    let opened = low[..start].iter().rev().find(|c| **c != ' ') == Some(&'(');
    let after_theo = opened || previous_word_is(low, start, "theo");
    let next: String = low[(end + 1).min(low.len())..].iter().take_while(|c| !matches!(c, ' ' | ',' | ';' | ')')).collect();
    after_theo || next == "số" || next.chars().any(|c| c.is_ascii_digit())
}

static FORM_SET: LazyLock<PhraseSet> = LazyLock::new(|| PhraseSet::new(&FORM_OPENINGS));
static EVIDENCE_SET: LazyLock<PhraseSet> = LazyLock::new(|| PhraseSet::new(&EVIDENCE_OPENINGS));

/// Whether a folded key opens as a form (`Some(true)`), as evidence (`Some(false)`), or neither.
pub(super) fn opening(key: &str) -> Option<bool> {
    // Openings and the words "phiếu" reaches are within the first few dozen chars.
    let mut s: Vec<char> = key.chars().take(OPENING_REACH + 1).collect();
    if s.len() > OPENING_REACH {
        // Cut at a word's end, so that a word cut short does not pass for another.
        let end = s.iter().rposition(|&c| c == ' ').unwrap_or(0);
        s.truncate(end);
    }
    if opens_as_form(&s) {
        Some(true)
    } else if EVIDENCE_SET.at(&s, 0).is_some() {
        Some(false)
    } else {
        None
    }
}

fn opens_as_form(s: &[char]) -> bool {
    if FORM_SET.at(s, 0).is_some() {
        return true;
    }
    if let Some(end) = phrase_end(s, 0, "đơn") {
        return !NOT_DON.iter().any(|w| phrase_end(s, end + 1, w).is_some());
    }
    if let Some(end) = phrase_end(s, 0, "giấy khai") {
        // "Giấy khai đăng ký xe" is a form, "Giấy khai sinh" a certificate.
        return !["sinh", "tử"].iter().any(|w| phrase_end(s, end + 1, w).is_some());
    }
    if let Some(end) = phrase_end(s, 0, "phiếu") {
        let starts: Vec<usize> = (end..s.len()).filter(|&k| s[k] == ' ').map(|k| k + 1).take(PHIEU_REACH).collect();
        return starts.iter().any(|&k| PHIEU_FORM_WORDS.iter().any(|w| phrase_end(s, k, w).is_some()));
    }
    false
}
