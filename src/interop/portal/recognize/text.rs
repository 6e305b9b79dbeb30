//! The wording pipeline behind [`super::fold`] and [`super::clean`].
//!
//! A wording is held twice, char for char: as written (`orig`, what `clean` returns) and
//! lowercased with the tone mark of `oa`/`oe`/`uy` placed one way (`low`, what is matched and
//! what `fold` returns). Every edit removes the same range from both, so a phrase found in
//! `low` is cut from `orig` too.

use std::borrow::Cow;
use std::sync::LazyLock;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Extensions of the form files the portal glues to a row's wording ("…(NA20).Mau NA20-BCA.docx").
const FILE_EXTENSIONS: [&str; 10] = ["docx", "doc", "pdf", "xlsx", "xls", "rtf", "odt", "ods", "zip", "rar"];

/// How far before its extension a glued file name may start: the longest in the 610 records is
/// 66 chars ("Mau so 02d_Phieu yeu cau dang ky thay doi BPBĐ bang dong san.docx").
const FILE_NAME_WINDOW: usize = 100;

/// Copy words: how the paper is handed in (`copy:` in a procedure), never which paper it is.
/// Longest first, so "bản sao có chứng thực" goes before "bản sao".
const COPY_PHRASES: [&str; 32] = [
    "bản sao có chứng thực từ bản chính",
    "bản sao được chứng thực từ bản chính",
    "bản sao chứng thực từ bản chính",
    "bản sao kèm theo bản chính để đối chiếu",
    "bản chụp kèm theo bản chính để đối chiếu",
    "bản sao kèm bản chính để đối chiếu",
    "bản chụp kèm bản chính để đối chiếu",
    "bản sao có công chứng hoặc chứng thực",
    "bản sao công chứng hoặc chứng thực",
    "bản sao có công chứng, chứng thực",
    "kèm theo bản chính để đối chiếu",
    "kèm bản chính để đối chiếu",
    "bản sao được cấp từ sổ gốc",
    "bản sao kèm theo bản chính",
    "bản chụp kèm theo bản chính",
    "bản sao kèm bản chính",
    "bản chụp kèm bản chính",
    "bản sao có chứng thực",
    "bản sao được chứng thực",
    "bản sao có công chứng",
    "bản sao y bản chính",
    "bản sao chứng thực",
    "bản sao công chứng",
    "bản sao điện tử",
    "bản sao hợp lệ",
    "bản photocopy",
    "bản điện tử",
    "bản chứng thực",
    "bản phô tô",
    "bản photo",
    "bản chính",
    "bản sao",
];

/// Copy words that follow the paper they qualify ("Hộ chiếu có chứng thực"). Not after "đã":
/// "giao dịch đã được chứng thực" is a paper of its own.
const COPY_QUALIFIERS: [&str; 9] = [
    "có công chứng hoặc chứng thực",
    "được công chứng hoặc chứng thực",
    "có công chứng, chứng thực",
    "có chứng thực",
    "được chứng thực",
    "có công chứng",
    "được công chứng",
    "bản chụp",
    "bản gốc",
];

/// Words that, inside parentheses, say only how the paper is handed in: "(bản sao)",
/// "(được chứng thực)", "(01 bản chính hoặc 01 bản sao có chứng thực)".
const COPY_WORDS: [&str; 26] = [
    "bản",
    "sao",
    "chính",
    "chụp",
    "gốc",
    "điện",
    "tử",
    "photocopy",
    "photo",
    "có",
    "được",
    "chứng",
    "thực",
    "công",
    "hoặc",
    "và",
    "một",
    "kèm",
    "theo",
    "để",
    "đối",
    "chiếu",
    "từ",
    "sổ",
    "cấp",
    "y",
];

/// What a parenthesis opens with when it is a condition, a legal or form reference, or an
/// aside: "(nếu có)", "(khoản 1 Điều 27 …)", "(theo mẫu …)", "(sau đây gọi tắt là …)".
const NOISE_PAREN_OPENINGS: [&str; 18] = [
    "nếu",
    "trừ",
    "trường hợp",
    "trong trường hợp",
    "đối với trường hợp",
    "áp dụng",
    "khoản",
    "điều",
    "điểm",
    "sau đây",
    "theo",
    "mẫu",
    "biểu mẫu",
    "ban hành",
    "kèm theo",
    "quy định",
    "phụ lục",
    "thông tư",
];

/// Words that anywhere in a parenthesis make it a form reference: "(Mẫu DC02 ban hành kèm theo
/// Thông tư số 17/2024/TT-BCA)", "(song ngữ; Phụ lục IA)".
const FORM_REFERENCE_WORDS: [&str; 4] = ["mẫu", "phụ lục", "ban hành kèm", "nghị định"];

/// Tails cut from their marker to the end of the clause: a form reference outside
/// parentheses ("… theo Mẫu số 01", "… ban hành kèm theo Thông tư …"), a condition or a
/// validity note, which do not change which paper it is ("Hộ chiếu phổ thông còn thời hạn",
/// "Văn bản ủy quyền … trong trường hợp ủy quyền …"; the condition is the component's `when:`).
const TAILS: [&str; 16] = [
    "theo mẫu",
    "theo biểu mẫu",
    "theo các mẫu",
    "mẫu số",
    "ban hành kèm",
    "theo quy định",
    "quy định tại",
    "nếu",
    "trong trường hợp",
    "trừ trường hợp",
    "đối với trường hợp",
    "còn giá trị sử dụng",
    "có giá trị sử dụng",
    "còn thời hạn",
    "còn hiệu lực",
    "để đối chiếu",
];

/// How a row says the paper is handed over, before naming it ("Xuất trình thẻ căn cước").
const LEADING_VERBS: [&str; 5] = ["xuất trình", "gửi kèm", "đính kèm", "kèm theo", "nộp"];

/// Roman numerals used to number rows ("II. Giấy tờ …").
const ROMAN: [&str; 10] = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"];

/// A wording after the pipeline.
pub(super) struct Folded {
    /// The wording as a document name ([`super::clean`]).
    pub(super) clean: String,
    /// The matching key ([`super::fold`]).
    pub(super) key: String,
    /// Whether it cites a template: the word "mẫu" or a glued form file.
    pub(super) cites_template: bool,
}

/// A wording held as written and as matched, char for char.
pub(super) struct Text {
    orig: Vec<char>,
    low: Vec<char>,
}

impl Text {
    /// The first sentence (later ones are notes: "Giấy miễn thị thực. Trường hợp …"), NFC,
    /// invisible format characters dropped, every whitespace run (NBSP, tabs, newlines) one
    /// space, trimmed; `low` lowercased.
    pub(super) fn new(s: &str) -> Text {
        let s = first_sentence(s);
        let nfc: Cow<str> = if is_nfc(s) { Cow::Borrowed(s) } else { Cow::Owned(s.nfc().collect()) };
        let mut orig = Vec::with_capacity(nfc.len());
        let mut low = Vec::with_capacity(nfc.len());
        let mut space = false;
        for c in nfc.chars() {
            if c.is_whitespace() {
                space = !orig.is_empty();
                continue;
            }
            if is_invisible(c) {
                continue;
            }
            if space {
                orig.push(' ');
                low.push(' ');
                space = false;
            }
            orig.push(c);
            low.push(lowercase(c));
        }
        Text { orig, low }
    }

    /// Runs the removals; `orig` is then the clean wording (made only `with_clean`) and `low`
    /// the key.
    pub(super) fn process(mut self, with_clean: bool) -> Folded {
        let first = self.orig.first().copied();
        let had_file = self.strip_file_names();
        let cites_template = super::form::cites_template(&self.low, had_file);
        self.removals();
        // The removals may bring a sentence's end or a file name to light: then again, so that
        // the clean name folds as the wording did. Each round shortens the text.
        while self.cut_sentences() | self.strip_file_names() {
            self.removals();
        }
        let mut clean: String = if with_clean { self.orig.iter().collect() } else { String::new() };
        if with_clean
            && self.orig.first().copied() != first
            && let Some(c) = self.orig.first().filter(|c| c.is_lowercase())
        {
            let upper: String = c.to_uppercase().collect();
            clean.replace_range(..c.len_utf8(), &upper);
        }
        // Last, on the words as they are left: removals may have ended one.
        uniform_tones(&mut self.low);
        Folded { clean, key: self.low.into_iter().collect(), cites_template }
    }

    /// Copy words first (a parenthesis may hold nothing else), then the parentheses, then the
    /// tails (a tail in a parenthesis ends with it), then what opens the row.
    fn removals(&mut self) {
        self.strip_copy_words();
        self.strip_noise_parens();
        self.cut_tails();
        self.strip_leading();
        self.tidy();
    }

    /// Removes `from..to`; a space stays in its place between two words, which must not
    /// run together ("…(nếu có)Giấy khai sinh").
    fn remove(&mut self, from: usize, to: usize) {
        let joins = from > 0 && self.low.get(to).is_some_and(|&c| is_word_char(c)) && is_word_char(self.low[from - 1]);
        if joins {
            self.orig.splice(from..to, [' ']);
            self.low.splice(from..to, [' ']);
        } else {
            self.orig.drain(from..to);
            self.low.drain(from..to);
        }
    }

    fn truncate(&mut self, at: usize) {
        self.orig.truncate(at);
        self.low.truncate(at);
    }

    /// The end of `phrase` if it is in `low` at `at` as whole words.
    fn phrase_at(&self, at: usize, phrase: &str) -> Option<usize> {
        phrase_end(&self.low, at, phrase)
    }

    /// Removes the form file names glued to the end; true if there was one.
    fn strip_file_names(&mut self) -> bool {
        let mut had = false;
        // "….docx." and "….doc;" end with a file name too
        let end = self.orig.iter().rposition(|c| !matches!(c, ' ' | '.' | ';' | ':' | ',')).map_or(0, |k| k + 1);
        if file_extension_dot(&self.orig[..end]).is_some() {
            self.truncate(end);
        }
        while let Some(dot) = file_extension_dot(&self.orig) {
            had = true;
            let cut = file_name_start(&self.orig, dot);
            self.truncate(cut);
            while self.orig.last().is_some_and(|c| c.is_whitespace()) {
                self.truncate(self.orig.len() - 1);
            }
        }
        had
    }

    /// Keeps the first sentence, as [`first_sentence`] does on the raw text: removals may
    /// have brought a sentence's end next to its next one. True if it cut.
    fn cut_sentences(&mut self) -> bool {
        let o = &self.orig;
        let ends = |i: usize| {
            o[i] == '.'
                && o.get(i + 1) == Some(&' ')
                && o.get(i + 2).is_some_and(|&c| c.is_uppercase() || matches!(c, '-' | '+' | '*' | '•'))
                && o[..i].contains(&' ')
        };
        let cut = (0..o.len()).find(|&i| ends(i));
        if let Some(i) = cut {
            self.truncate(i);
        }
        cut.is_some()
    }

    /// Removes parentheses that hold a condition, a legal or form reference, a form code or
    /// only copy words; keeps the others ("(ly hôn ở nước ngoài)"). An unclosed one runs to the end.
    fn strip_noise_parens(&mut self) {
        let mut i = 0;
        while i < self.low.len() {
            if self.low[i] != '(' {
                i += 1;
                continue;
            }
            let end = closing_paren(&self.low, i);
            let inner: String = self.low[i + 1..end.min(self.low.len())].iter().collect();
            if is_noise_paren(inner.trim_matches(|c: char| !is_word_char(c))) {
                self.remove(i, (end + 1).min(self.low.len()));
                // an outer parenthesis may hold only noise now: look again from the start
                i = 0;
            } else {
                i += 1;
            }
        }
    }

    /// Cuts each tail from its marker to the end of its clause (`;`, ` hoặc ` or the end), so
    /// that the alternatives after it stay. A marker at the very start is kept: it is all there is.
    fn cut_tails(&mut self) {
        let mut i = next_word_start(&self.low, 0);
        while i < self.low.len() {
            if TAIL_SET.at(&self.low, i).is_some() {
                let end = clause_end(&self.low, i).max(i + 1);
                self.remove(i, end);
                i = word_start_from(&self.low, i);
            } else {
                i = next_word_start(&self.low, i);
            }
        }
    }

    /// Removes runs of copy words ("Bản chính hoặc bản sao có chứng thực hoặc bản sao điện
    /// tử …") wherever they are, and the copy qualifiers that follow a paper.
    fn strip_copy_words(&mut self) {
        let mut i = word_start_from(&self.low, 0);
        while i < self.low.len() {
            let end = self.copy_run(i).or_else(|| self.copy_qualifier(i));
            match end {
                Some(end) => {
                    self.remove(i, end);
                    i = word_start_from(&self.low, i);
                }
                None => i = next_word_start(&self.low, i),
            }
        }
    }

    /// The end of the run of copy phrases joined by `hoặc`, `và`, `,` or `/` that starts at `at`.
    fn copy_run(&self, at: usize) -> Option<usize> {
        let mut end = self.copy_phrase(at)?;
        // "cấp bản sao" is the act of issuing copies, "văn bản chính" a phrase of its own.
        if ["cấp", "văn", "trích"].iter().any(|w| previous_word_is(&self.low, at, w)) {
            return None;
        }
        loop {
            let mut j = skip_spaces(&self.low, end);
            if j < self.low.len() && matches!(self.low[j], ',' | '/') {
                j = skip_spaces(&self.low, j + 1);
            } else if let Some(k) = self.phrase_at(j, "hoặc").or_else(|| self.phrase_at(j, "và")) {
                j = skip_spaces(&self.low, k);
            } else {
                return Some(end);
            }
            match self.copy_phrase(j) {
                Some(next) => end = next,
                None => return Some(end),
            }
        }
    }

    fn copy_phrase(&self, at: usize) -> Option<usize> {
        let end = COPY_SET.at(&self.low, at)?;
        // "bản chính thức" is not "bản chính".
        phrase_end(&self.low, skip_spaces(&self.low, end), "thức").is_none().then_some(end)
    }

    fn copy_qualifier(&self, at: usize) -> Option<usize> {
        let end = QUALIFIER_SET.at(&self.low, at)?;
        (at > 0 && !previous_word_is(&self.low, at, "đã")).then_some(end)
    }

    /// Removes what numbers or introduces a row: bullets, "1.", "a)", "II.", "(1)", a count
    /// ("02 ảnh"), and the verb of handing over ("Xuất trình …").
    fn strip_leading(&mut self) {
        loop {
            let end = leading_mark(&self.low).or_else(|| LEADING_VERB_SET.at(&self.low, 0));
            match end {
                Some(end) if end > 0 => {
                    let to = skip_spaces(&self.low, end);
                    self.remove(0, to);
                }
                _ => return,
            }
        }
    }

    /// Spaces and punctuation left by the removals: no space before `,;:.)` or after `(`, no
    /// empty `()`, no doubled separator, none at either end.
    fn tidy(&mut self) {
        // In place: `w` is where the next kept char goes, `low[w - 1]` the last kept one.
        let mut w: usize = 0;
        for i in 0..self.low.len() {
            let c = self.low[i];
            let prev = w.checked_sub(1).map(|j| self.low[j]);
            let next = self.low.get(i + 1).copied();
            let drop = match c {
                ' ' => prev.is_none_or(|p| p == ' ' || p == '(') || next.is_none_or(|n| matches!(n, ',' | ';' | ':' | '.' | ')' | ' ')),
                ',' | ';' | ':' => prev.is_none_or(|p| matches!(p, ',' | ';' | ':' | '(')),
                ')' => prev == Some('('),
                _ => false,
            };
            if drop {
                // the "(" of an emptied pair goes too
                w -= usize::from(c == ')');
                continue;
            }
            self.low[w] = c;
            self.orig[w] = self.orig[i];
            w += 1;
        }
        self.truncate(w);
        let is_edge = |c: &char| matches!(c, ' ' | ',' | ';' | ':' | '.' | '-' | '–' | '—');
        while self.low.last().is_some_and(is_edge) {
            self.truncate(self.low.len() - 1);
        }
        let lead = self.low.iter().take_while(|c| matches!(c, ' ' | ',' | ';' | ':' | '.')).count();
        self.remove(0, lead);
    }
}

/// Whether `s` is in NFC: at once when every char is one that NFC leaves alone and that no
/// combining mark follows (Basic Latin to Spacing Modifiers, Latin Extended Additional, where
/// every precomposed Vietnamese letter is); otherwise by the quick check.
fn is_nfc(s: &str) -> bool {
    s.chars().all(|c| c < '\u{300}' || ('\u{1E00}'..='\u{1EFF}').contains(&c)) || is_nfc_quick(s.chars()) == IsNormalized::Yes
}

/// `char::to_lowercase`'s first char (one for one: it yields more only for a few letters
/// outside Vietnamese, İ, whose first is the letter to match), without its tables for the
/// letters Vietnamese writes.
fn lowercase(c: char) -> char {
    match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        '\u{0}'..='\u{7F}' => c,
        'À'..='Þ' if c != '×' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
        'ß'..='ÿ' => c,
        // Ă ă, Đ đ, Ĩ ĩ, Ũ ũ and their neighbours pair a capital with the small letter after it.
        '\u{100}'..='\u{12F}' | '\u{132}'..='\u{137}' | '\u{14A}'..='\u{177}' | '\u{1EA0}'..='\u{1EF9}' if (c as u32) % 2 == 0 => {
            char::from_u32(c as u32 + 1).unwrap_or(c)
        }
        '\u{100}'..='\u{12F}' | '\u{132}'..='\u{137}' | '\u{14A}'..='\u{177}' | '\u{1EA0}'..='\u{1EF9}' => c,
        'Ơ' => 'ơ',
        'Ư' => 'ư',
        _ => c.to_lowercase().next().unwrap_or(c),
    }
}

/// `s` up to its first sentence end: a `.` and whitespace before an uppercase letter or a
/// bullet, after at least two words ("II. Giấy …", "1. Giấy …" and "TP. Hồ Chí Minh" are
/// numbering or an abbreviation, not a sentence).
fn first_sentence(s: &str) -> &str {
    for (i, _) in s.match_indices('.') {
        let rest = &s[i + 1..];
        let after = rest.trim_start();
        let spaced = after.len() < rest.len();
        let sentence = s[..i].trim().contains(char::is_whitespace);
        if sentence && spaced && after.chars().next().is_some_and(|c| c.is_uppercase() || matches!(c, '-' | '+' | '*' | '•')) {
            return &s[..i];
        }
    }
    s
}

/// Zero-width and direction marks (the records have U+200E inside "k‎ý"), BOM, soft hyphen.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

/// The tone mark of a word ending in `oa`, `oe` or `uy` on its first vowel ("hoà" → "hòa",
/// "uỷ" → "ủy", "tuỳ" → "tùy"): the records write both ("uỷ quyền", "ủy quyền") for the same
/// word. With a final consonant both styles agree ("hoàn"); after `q`, `u` is part of the consonant.
fn uniform_tones(low: &mut [char]) {
    for i in 1..low.len() {
        // Toned a, e, y are all past U+00DF; most chars are not, and are skipped on that.
        if low[i] < '\u{E0}' || low.get(i + 1).is_some_and(|&c| is_word_char(c)) {
            continue;
        }
        let Some((base, tone)) = tone_of(low[i]) else { continue };
        let first = low[i - 1];
        let pair = matches!((first, base), ('o', 'a') | ('o', 'e') | ('u', 'y'));
        let after_q = i >= 2 && low[i - 2] == 'q';
        if pair && !after_q {
            low[i - 1] = with_tone(first, tone);
            low[i] = base;
        }
    }
}

/// Toned vowels by base and tone (huyền, sắc, hỏi, ngã, nặng).
const TONED: [(char, [char; 5]); 5] = [
    ('a', ['à', 'á', 'ả', 'ã', 'ạ']),
    ('e', ['è', 'é', 'ẻ', 'ẽ', 'ẹ']),
    ('o', ['ò', 'ó', 'ỏ', 'õ', 'ọ']),
    ('u', ['ù', 'ú', 'ủ', 'ũ', 'ụ']),
    ('y', ['ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ']),
];

fn tone_of(c: char) -> Option<(char, usize)> {
    TONED.iter().find_map(|(base, toned)| toned.iter().position(|&t| t == c).map(|tone| (*base, tone)))
}

fn with_tone(base: char, tone: usize) -> char {
    TONED.iter().find(|(b, _)| *b == base).map_or(base, |(_, toned)| toned[tone])
}

/// Whether `c` is part of a word: `char::is_alphanumeric`, with the letters Vietnamese uses
/// answered without the Unicode tables (the hot path of every pass).
#[inline]
pub(super) fn is_word_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        '\u{0}'..='\u{BF}' | '×' | '÷' => c.is_alphanumeric(),
        '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}' => true,
        _ => c.is_alphanumeric(),
    }
}

/// The start of the word after the one at `i`, or the end.
fn next_word_start(s: &[char], i: usize) -> usize {
    let mut j = i;
    while j < s.len() && is_word_char(s[j]) {
        j += 1;
    }
    word_start_from(s, j)
}

/// The first word start at or after `i` (`i` itself if a word starts there), or the end.
fn word_start_from(s: &[char], i: usize) -> usize {
    let mut j = i;
    while j < s.len() && !is_word_char(s[j]) {
        j += 1;
    }
    if j > i || j == 0 || j >= s.len() || !is_word_char(s[j - 1]) { j } else { next_word_start(s, j) }
}

/// A list of phrases looked up by their first char: at a word start, only the phrases that
/// open with its char are compared, longest first.
pub(super) struct PhraseSet {
    /// The phrases' chars end to end.
    chars: Vec<char>,
    /// Per phrase: first char, start in `chars`, length; sorted by first char, then longest first.
    spans: Vec<(char, usize, usize)>,
    /// The ASCII chars that open a phrase, as bits: most word starts are rejected on that.
    ascii_firsts: u128,
}

impl PhraseSet {
    pub(super) fn new(list: &[&str]) -> PhraseSet {
        let mut phrases: Vec<Vec<char>> = list.iter().map(|p| p.chars().collect()).filter(|p: &Vec<char>| !p.is_empty()).collect();
        phrases.sort_by(|a, b| a[0].cmp(&b[0]).then(b.len().cmp(&a.len())));
        let (mut chars, mut spans) = (Vec::new(), Vec::new());
        for p in &phrases {
            spans.push((p[0], chars.len(), p.len()));
            chars.extend_from_slice(p);
        }
        let ascii_firsts = spans.iter().filter(|(c, ..)| c.is_ascii()).fold(0u128, |bits, (c, ..)| bits | 1 << (*c as u32));
        PhraseSet { chars, spans, ascii_firsts }
    }

    /// The end of the longest phrase of the set found at `at` as whole words.
    pub(super) fn at(&self, s: &[char], at: usize) -> Option<usize> {
        let c = *s.get(at)?;
        if c.is_ascii() && self.ascii_firsts & (1 << (c as u32)) == 0 {
            return None;
        }
        let from = self.spans.partition_point(|span| span.0 < c);
        self.spans[from..].iter().take_while(|span| span.0 == c).find_map(|&(_, start, len)| {
            let end = at + len;
            let matched = s.get(at..end) == Some(&self.chars[start..start + len])
                && starts_word(s, at)
                && s.get(end).is_none_or(|&c| !is_word_char(c));
            matched.then_some(end)
        })
    }
}

static TAIL_SET: LazyLock<PhraseSet> = LazyLock::new(|| PhraseSet::new(&TAILS));
static COPY_SET: LazyLock<PhraseSet> = LazyLock::new(|| PhraseSet::new(&COPY_PHRASES));
static QUALIFIER_SET: LazyLock<PhraseSet> = LazyLock::new(|| PhraseSet::new(&COPY_QUALIFIERS));
static LEADING_VERB_SET: LazyLock<PhraseSet> = LazyLock::new(|| PhraseSet::new(&LEADING_VERBS));

/// Whether a word starts at `i` (the char before is not a letter or digit).
fn starts_word(s: &[char], i: usize) -> bool {
    i == 0 || !is_word_char(s[i - 1])
}

/// The end of `phrase` in `s` at `at`, if it is there as whole words.
pub(super) fn phrase_end(s: &[char], at: usize, phrase: &str) -> Option<usize> {
    let mut j = at;
    for p in phrase.chars() {
        if s.get(j) != Some(&p) {
            return None;
        }
        j += 1;
    }
    (starts_word(s, at) && s.get(j).is_none_or(|&c| !is_word_char(c))).then_some(j)
}

fn skip_spaces(s: &[char], mut i: usize) -> usize {
    while s.get(i) == Some(&' ') {
        i += 1;
    }
    i
}

/// Whether the word before `at` (across spaces and punctuation) is `word`.
pub(super) fn previous_word_is(s: &[char], at: usize, word: &str) -> bool {
    let end = (0..at).rev().find(|&k| is_word_char(s[k])).map_or(0, |k| k + 1);
    let start = (0..end).rev().find(|&k| !is_word_char(s[k])).map_or(0, |k| k + 1);
    s[start..end].iter().copied().eq(word.chars())
}

/// The index of the `)` closing the `(` at `open`, or the length when it is not closed.
fn closing_paren(s: &[char], open: usize) -> usize {
    let mut depth = 0usize;
    for (k, &c) in s.iter().enumerate().skip(open) {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return k;
                }
            }
            _ => {}
        }
    }
    s.len()
}

fn is_noise_paren(inner: &str) -> bool {
    let chars: Vec<char> = inner.chars().collect();
    let opens = |p: &&str| phrase_end(&chars, 0, p).is_some();
    let contains = |p: &&str| {
        // `str::match_indices` finds the candidates fast; each is then checked as whole words.
        inner.match_indices(*p).any(|(byte, _)| phrase_end(&chars, inner[..byte].chars().count(), p).is_some())
    };
    inner.is_empty()
        || NOISE_PAREN_OPENINGS.iter().any(opens)
        || FORM_REFERENCE_WORDS.iter().any(contains)
        || is_code(inner)
        || inner
            .split(|c: char| !is_word_char(c))
            .filter(|w| !w.is_empty())
            .all(|w| COPY_WORDS.contains(&w) || w.chars().all(|c| c.is_ascii_digit()))
}

/// A form code or a number on its own: "na20", "tk01a", "bb2", "1".
fn is_code(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    s.len() <= 10 && digits > 0 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
}

/// Where the clause that holds `at` ends: before `;`, ` hoặc ` or a `/` between letters, or
/// the `)` of a parenthesis it is in; at the end otherwise.
fn clause_end(s: &[char], at: usize) -> usize {
    let mut depth = 0usize;
    for k in at..s.len() {
        match s[k] {
            '(' => depth += 1,
            ')' if depth == 0 => return k,
            ')' => depth -= 1,
            _ if depth > 0 => {}
            ';' => return k,
            ' ' if phrase_end(s, k + 1, "hoặc").is_some() => return k,
            _ if is_slash_between_letters(s, k) => return k,
            _ => {}
        }
    }
    s.len()
}

/// A `/` between letters ("Hộ chiếu/Thẻ căn cước"), not in a date or a number ("30/6/2023").
pub(super) fn is_slash_between_letters(s: &[char], k: usize) -> bool {
    s[k] == '/' && k > 0 && s[k - 1].is_alphabetic() && s.get(k + 1).is_some_and(|c| c.is_alphabetic())
}

/// The end of a bullet, a number or a count at the start of `s`.
fn leading_mark(s: &[char]) -> Option<usize> {
    let first = *s.first()?;
    if matches!(first, ' ' | '-' | '+' | '*' | '•' | '–' | '—' | '·' | '>' | '.' | ',' | ';' | ':') {
        return Some(1);
    }
    if first == '(' {
        let close = s.iter().position(|&c| c == ')')?;
        let inner: String = s[1..close].iter().filter(|&&c| is_word_char(c)).collect();
        let short = inner.chars().count() <= 3;
        return short.then_some(close + 1);
    }
    let word_len = s.iter().take_while(|&&c| is_word_char(c)).count();
    let word: String = s[..word_len].iter().collect();
    let after = s.get(word_len).copied();
    let numeric = word_len > 0 && word_len <= 3 && word.chars().all(|c| c.is_ascii_digit());
    let letter = word.chars().count() == 1 || ROMAN.contains(&word.as_str());
    match after {
        Some('.' | ')') if numeric => Some(word_len + 1),
        Some('.' | ')') if letter && s.get(word_len + 1) == Some(&' ') => Some(word_len + 1),
        Some(' ') if numeric && s.get(skip_spaces(s, word_len)).is_some_and(|c| c.is_alphabetic()) => Some(word_len),
        _ => None,
    }
}

/// The `.` before a form file's extension at the very end of `s`.
fn file_extension_dot(s: &[char]) -> Option<usize> {
    FILE_EXTENSIONS.iter().find_map(|ext| {
        let n = ext.len();
        let dot = s.len().checked_sub(n + 1)?;
        let named = dot > 0 && !s[dot - 1].is_whitespace();
        let is_ext = s[dot + 1..].iter().map(char::to_ascii_lowercase).eq(ext.chars());
        (s[dot] == '.' && named && is_ext).then_some(dot)
    })
}

/// Where the file name that ends at `dot` starts: the first glue point in the window before
/// it, where the wording ends and the name follows without a space (`.;:)` then a letter or
/// digit, or a lowercase letter then an uppercase one: "…hành nghềMẫu TP-QTV-01.docx");
/// without one, its last word.
fn file_name_start(s: &[char], dot: usize) -> usize {
    let from = dot.saturating_sub(FILE_NAME_WINDOW).max(1);
    let glued = (from..dot).find(|&i| {
        let (a, b) = (s[i - 1], s[i]);
        let punct = matches!(a, '.' | ';' | ':' | ')')
            && is_word_char(b)
            && !(a == '.' && i >= 2 && s[i - 2].is_ascii_digit() && b.is_ascii_digit());
        punct || (a.is_lowercase() && b.is_uppercase())
    });
    glued.unwrap_or_else(|| (0..dot).rev().find(|&k| s[k] == ' ').map_or(0, |k| k + 1))
}

/// `key` without any parenthesis: the core of a name such as "Giấy khai sinh (bản chính, bản
/// sao, trích lục khai sinh)", for the fuzzy match.
pub(super) fn without_parens(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    let mut out = String::with_capacity(key.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '(' {
            i = closing_paren(&chars, i) + 1;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    let mut text = Text::new(&out);
    text.tidy();
    text.low.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> String {
        Text::new(s).process(false).key
    }

    #[test]
    fn lowercase_is_char_to_lowercase() {
        let ranges = ['\u{0}'..='\u{24F}', '\u{1E00}'..='\u{1EFF}'];
        for c in ranges.into_iter().flatten() {
            assert_eq!(lowercase(c), c.to_lowercase().next().unwrap_or(c), "{c:?}");
        }
    }

    #[test]
    fn the_quick_nfc_check_agrees_with_the_full_one() {
        for s in ["Giấy khai sinh", "Đơn – đề nghị “mẫu”", "Gia\u{301}y", "\u{2000}"] {
            assert_eq!(is_nfc(s), is_nfc_quick(s.chars()) == IsNormalized::Yes, "{s:?}");
        }
    }

    #[test]
    fn glued_form_files_are_cut_where_the_wording_ends() {
        for (wording, kept) in [
            ("Văn bản đề nghị cấp tài khoản điện tử (NA19).Mau NA19-BCA.docx", "văn bản đề nghị cấp tài khoản điện tử"),
            ("Đơn xin nhận con nuôi;1.nxinnhnconnui.doc", "đơn xin nhận con nuôi"),
            ("Giấy  đề nghị sáp nhập công ty luậtMẫu TP-LS-28-sđ.docx", "giấy đề nghị sáp nhập công ty luật"),
            (
                "Tờ khai đề nghị cấp thẻ ABTC (mẫu TK06) ban hành kèm theo Quyết định số 09/2023/QĐ-TTg.Tờ khai đề nghị cấp thẻ ABTC (mẫu TK06) (1).pdf",
                "tờ khai đề nghị cấp thẻ abtc",
            ),
            (
                "Dự thảo điều lệ (Mẫu TP-TSCC-01a ban hành kèm theo Thông tư số 06/2025/TT-BTP).Mẫu TP-TSCC-01a.docxMẫu TP-TSCC-01b.docx",
                "dự thảo điều lệ",
            ),
            // no glue: the last word goes
            (
                "Đơn đề nghị cấp giấy phép hoạt động theo Mẫu số 03a Nghị định 151/2024/NĐ-CPMus03axethongminh.docx",
                "đơn đề nghị cấp giấy phép hoạt động",
            ),
        ] {
            assert_eq!(key(wording), kept, "{wording}");
        }
        assert!(Text::new("Bản khai cá nhân (Mẫu số 03).Mẫu 03.TT41.doc").strip_file_names());
        assert!(!Text::new("Bản khai cá nhân (Mẫu số 03)").strip_file_names());
    }

    #[test]
    fn later_sentences_go_numbering_stays_a_number() {
        assert_eq!(first_sentence("Giấy miễn thị thực. Trường hợp mất phải có đơn trình báo."), "Giấy miễn thị thực");
        assert_eq!(first_sentence("II. Giấy phép lái xe"), "II. Giấy phép lái xe");
        assert_eq!(first_sentence("1. Giấy khai sinh. - Ghi chú"), "1. Giấy khai sinh");
        assert_eq!(first_sentence("Số 4.5 và 30/6/2023."), "Số 4.5 và 30/6/2023.");
    }

    #[test]
    fn tails_stop_at_their_clause_or_parenthesis() {
        assert_eq!(key("Hộ chiếu còn thời hạn hoặc giấy thông hành"), "hộ chiếu hoặc giấy thông hành");
        assert_eq!(key("Tờ khai (dùng cho cá nhân trong trường hợp ủy quyền) theo mẫu"), "tờ khai (dùng cho cá nhân)");
        assert_eq!(
            key("Văn bản đề nghị theo mẫu quy định tại Phụ lục XII ban hành kèm theo Thông tư số 12/2025/TT-BCA; danh sách"),
            "văn bản đề nghị; danh sách"
        );
    }
}
