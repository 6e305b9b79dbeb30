//! The fuzzy match: folded keys as sequences of syllables (Vietnamese writes one syllable a
//! word), weighted by how rare they are among the known names, with an inverted index that
//! only yields the names a wording could reach [`FUZZY_THRESHOLD`] with.
//!
//! Score of a wording `W` against a name `N` (both folded, syllables deduplicated):
//! `0.7 × min(shared/W, shared/N) + 0.3 × bigram Dice`, where `shared`, `W` and `N` are sums of
//! syllable weights: `ln(1 + names / names with the syllable)` (a syllable no name has weighs
//! as one only half a name had), 0.2 for a function word ("của", "về", "việc" …). The minimum asks that both sides be explained by what they share (a
//! wording that lacks the name's distinctive words, or adds its own, falls); the syllable pairs
//! bring word order and compounds ("đăng ký lại kết hôn" is not "đăng ký kết hôn").
//!
//! Besides, a name of at least three syllables, two of them more than a generic opening, that
//! the wording starts with, is the wording's paper with qualifiers after it ("Giấy khai sinh
//! của trẻ em", "Hộ chiếu phổ thông còn nguyên vẹn …"): Vietnamese puts qualifiers after the
//! head. It scores `0.9 + 0.1 × share of the wording`, unless the wording goes on with `,`,
//! `/`, "hoặc" or "và" (a list: "Giấy khai sinh, hộ chiếu"). A name inside a wording anywhere
//! else counts only through the score: "Giấy khai sinh" in "Tờ khai đăng ký khai sinh" is not one.
//!
//! A wording worded as a form is never matched to a name that is not, and the reverse: "Văn
//! bản đề nghị thẩm duyệt thiết kế …" asks for the "Văn bản thẩm duyệt thiết kế …".
//!
//! A name is indexed twice when it has parentheses: as written and without them ("Giấy khai
//! sinh (bản chính, bản sao, trích lục khai sinh)" is also "Giấy khai sinh"). Names of a single
//! syllable are not indexed (only exact matches find them).

use super::FUZZY_THRESHOLD;
use super::text::is_word_char;
use rustc_hash::FxHashMap;

/// Weight of a function syllable, whatever its frequency: "về việc", "của" add nothing.
const FUNCTION_WEIGHT: f64 = 0.2;

/// Function syllables.
const FUNCTION_WORDS: [&str; 26] = [
    "của", "và", "về", "việc", "các", "những", "đối", "với", "cho", "trong", "theo", "do", "được", "có", "là", "đã", "hoặc", "thì", "để",
    "tại", "từ", "trên", "này", "đó", "khi", "mà",
];

/// Share of the score given to the shared syllables; the rest goes to the syllable pairs.
const TOKEN_SHARE: f64 = 0.7;

/// Score of a qualified name at the start of the wording, before its share of the wording.
const PREFIX_BASE: f64 = 0.9;

/// A wording with more than this many times the syllables of the longest name is matched by
/// the prefix rule only.
const LONG_FACTOR: usize = 2;

/// Fewest syllables a name needs to be found at the start of a longer wording.
const PREFIX_MIN_SYLLABLES: usize = 3;

/// Fewest syllables beyond a generic opening ([`GENERIC_OPENINGS`]) for the same.
const PREFIX_MIN_OBJECT: usize = 2;

/// Generic openings, skipped when counting what a name names: "Giấy đề nghị" or "Đơn đề nghị
/// cấp" at the start of a wording say nothing of which request it is.
const GENERIC_OPENINGS: [&str; 34] = [
    "giấy chứng nhận",
    "giấy xác nhận",
    "chứng nhận",
    "xác nhận",
    "giấy đề nghị",
    "văn bản",
    "công văn",
    "tờ khai",
    "tờ trình",
    "bản khai",
    "giấy tờ",
    "tài liệu",
    "hồ sơ",
    "quyết định",
    "giấy phép",
    "biên bản",
    "danh sách",
    "báo cáo",
    "thông báo",
    "hợp đồng",
    "chứng minh",
    "đơn",
    "phiếu",
    "giấy",
    "thẻ",
    "sổ",
    "bản",
    "đề nghị",
    "yêu cầu",
    "xin",
    "đăng ký",
    "cấp",
    "lại",
    "đổi",
];

/// A name (or its core without parentheses) the fuzzy match can reach.
struct Variant {
    entry: u32,
    /// Syllable ids in order.
    tokens: Vec<u32>,
    /// Distinct syllable ids, sorted.
    set: Vec<u32>,
    /// Distinct syllable pairs, sorted.
    pairs: Vec<(u32, u32)>,
    weight: f64,
    form: bool,
    /// Whether it may be found at the start of a longer wording.
    prefix: bool,
}

/// The fuzzy index over the known documents' names.
pub(super) struct Index {
    vocab: FxHashMap<String, u32>,
    weights: Vec<f64>,
    /// Weight of a syllable no name has.
    unseen: f64,
    variants: Vec<Variant>,
    /// Per syllable, the variants indexed under it (only under their rarest syllables).
    postings: Vec<Vec<u32>>,
    /// Per first syllable, the variants the prefix rule may find.
    openers: FxHashMap<u32, Vec<u32>>,
    /// The most syllables a variant has.
    max_len: usize,
}

/// A wording ready to be scored.
struct Query<'a> {
    key: &'a str,
    tokens: Vec<u32>,
    /// Byte offset in `key` where each token ends.
    ends: Vec<usize>,
    set: Vec<u32>,
    pairs: Vec<(u32, u32)>,
    weight: f64,
}

/// The syllables of a folded key with their end offsets.
fn syllables(key: &str) -> impl Iterator<Item = (&str, usize)> {
    let mut chars = key.char_indices().peekable();
    std::iter::from_fn(move || {
        while chars.next_if(|&(_, c)| !is_word_char(c)).is_some() {}
        let (start, _) = *chars.peek()?;
        let mut end = start;
        while let Some((i, c)) = chars.next_if(|&(_, c)| is_word_char(c)) {
            end = i + c.len_utf8();
        }
        Some((&key[start..end], end))
    })
}

fn sorted_pairs(tokens: &[u32]) -> Vec<(u32, u32)> {
    let mut pairs: Vec<(u32, u32)> = tokens.windows(2).map(|w| (w[0], w[1])).collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

fn sorted_set(tokens: &[u32]) -> Vec<u32> {
    let mut set = tokens.to_vec();
    set.sort_unstable();
    set.dedup();
    set
}

/// How many syllables of `words` follow its generic opening.
fn object_len(words: &[&str]) -> usize {
    let mut i = 0;
    'outer: while i < words.len() {
        for opening in GENERIC_OPENINGS {
            let n = opening.split(' ').count();
            if words.len() >= i + n && opening.split(' ').eq(words[i..i + n].iter().copied()) {
                i += n;
                continue 'outer;
            }
        }
        break;
    }
    words.len() - i
}

/// The least share of its weight each side must have in common with the other to reach the
/// threshold: score ≤ 0.7 × cover + 0.3, so cover ≥ (T − 0.3)/0.7; the margin keeps rounding safe.
fn min_cover() -> f64 {
    (FUZZY_THRESHOLD - (1.0 - TOKEN_SHARE)) / TOKEN_SHARE * 0.999
}

impl Index {
    /// Indexes `(entry, key, form)` triples; keys of fewer than two syllables are left out
    /// (a single syllable, "Ảnh", is in too many wordings to say which).
    pub(super) fn new(names: Vec<(u32, String, bool)>) -> Index {
        let mut vocab: FxHashMap<String, u32> = FxHashMap::default();
        let mut df: Vec<u32> = Vec::new();
        let mut variants = Vec::new();
        for (entry, key, form) in names {
            let words: Vec<&str> = syllables(&key).map(|(w, _)| w).collect();
            if words.len() < 2 {
                continue;
            }
            let tokens: Vec<u32> = words
                .iter()
                .map(|w| {
                    let next = vocab.len() as u32;
                    *vocab.entry((*w).to_owned()).or_insert(next)
                })
                .collect();
            let set = sorted_set(&tokens);
            df.resize(vocab.len(), 0);
            for &t in &set {
                df[t as usize] += 1;
            }
            let prefix = words.len() >= PREFIX_MIN_SYLLABLES && object_len(&words) >= PREFIX_MIN_OBJECT;
            variants.push(Variant { entry, pairs: sorted_pairs(&tokens), tokens, set, weight: 0.0, form, prefix });
        }
        let n = variants.len().max(1) as f64;
        let mut weights = vec![0.0; vocab.len()];
        for (word, &id) in &vocab {
            weights[id as usize] =
                if FUNCTION_WORDS.contains(&word.as_str()) { FUNCTION_WEIGHT } else { (1.0 + n / f64::from(df[id as usize])).ln() };
        }
        let mut openers: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        for (v, variant) in variants.iter().enumerate().filter(|(_, v)| v.prefix) {
            openers.entry(variant.tokens[0]).or_default().push(v as u32);
        }
        let max_len = variants.iter().map(|v| v.tokens.len()).max().unwrap_or(0);
        let mut index = Index { vocab, weights, unseen: (1.0 + 2.0 * n).ln(), variants, postings: Vec::new(), openers, max_len };
        index.build_postings();
        index
    }

    /// Indexes each variant under its rarest syllables, as many as it takes for the rest to
    /// weigh less than a wording must share with it to reach the threshold (prefix filtering):
    /// a wording that shares none of them cannot score enough.
    fn build_postings(&mut self) {
        let need = min_cover();
        let mut postings = vec![Vec::new(); self.vocab.len()];
        for (v, variant) in self.variants.iter_mut().enumerate() {
            variant.weight = variant.set.iter().map(|&t| self.weights[t as usize]).sum();
            let mut by_rarity = variant.set.clone();
            by_rarity.sort_by(|a, b| self.weights[*b as usize].total_cmp(&self.weights[*a as usize]).then(a.cmp(b)));
            let mut rest = variant.weight;
            for t in by_rarity {
                if rest < need * variant.weight {
                    break;
                }
                postings[t as usize].push(v as u32);
                rest -= self.weights[t as usize];
            }
        }
        self.postings = postings;
    }

    fn weight(&self, token: u32) -> f64 {
        self.weights.get(token as usize).copied().unwrap_or(self.unseen)
    }

    /// More syllables than this, and a wording is matched by the prefix rule only.
    fn long_len(&self) -> usize {
        LONG_FACTOR * self.max_len
    }

    /// Whether a folded wording has more syllables than any name could be restated in.
    pub(super) fn is_long(&self, key: &str) -> bool {
        syllables(key).nth(self.long_len()).is_some()
    }

    /// The key's syllables as ids; [`Index::complete`] adds what the score needs.
    fn query<'a>(&self, key: &'a str) -> Query<'a> {
        // Syllables no name has get ids past the vocabulary, one per distinct syllable.
        let mut unseen: Vec<&str> = Vec::new();
        let (mut tokens, mut ends) = (Vec::new(), Vec::new());
        for (w, end) in syllables(key) {
            let id = match self.vocab.get(w) {
                Some(&id) => id,
                None => {
                    let k = unseen.iter().position(|u| *u == w).unwrap_or_else(|| {
                        unseen.push(w);
                        unseen.len() - 1
                    });
                    (self.vocab.len() + k) as u32
                }
            };
            tokens.push(id);
            ends.push(end);
        }
        Query { key, tokens, ends, set: Vec::new(), pairs: Vec::new(), weight: 0.0 }
    }

    /// The distinct syllables, their pairs and their weight.
    fn complete(&self, q: &mut Query) {
        q.set = sorted_set(&q.tokens);
        q.pairs = sorted_pairs(&q.tokens);
        q.weight = q.set.iter().map(|&t| self.weight(t)).sum();
    }

    /// The best-scoring entry for a folded wording at or above the threshold, among names
    /// worded as forms or not as `form` says, with the prefix rule if `prefix`; ties go to the
    /// entry `id_of` sorts first.
    pub(super) fn best<'e>(&self, key: &str, form: bool, prefix: bool, id_of: impl Fn(u32) -> &'e str) -> Option<(u32, f64)> {
        // A wording over twice as long as the longest name restates none: only a name at its
        // start can match it (the prefix rule), and only those are tried, on its first syllables.
        let mut q = self.query(key);
        let long = q.tokens.len() > self.long_len();
        if !long {
            self.complete(&mut q);
        }
        let first = *q.tokens.first()?;
        let candidates: Vec<u32> = if long {
            self.openers.get(&first).cloned().unwrap_or_default()
        } else {
            let mut all: Vec<u32> = q.set.iter().filter_map(|&t| self.postings.get(t as usize)).flatten().copied().collect();
            all.sort_unstable();
            all.dedup();
            all
        };
        // Each side must share MIN_COVER of its weight, so sides of very different weights
        // cannot reach the threshold, unless the name opens the wording (the prefix rule).
        let need = min_cover();
        let mut best: Option<(u32, f64)> = None;
        for v in candidates {
            let variant = &self.variants[v as usize];
            let balanced = !long && variant.weight >= need * q.weight && q.weight >= need * variant.weight;
            let opens = prefix && variant.prefix && variant.tokens[0] == first;
            if variant.form != form || !(balanced || opens) {
                continue;
            }
            let score = match (long, opens) {
                (true, _) => self.prefix_score(&q, variant).unwrap_or(0.0),
                (false, true) => self.score(&q, variant).max(self.prefix_score(&q, variant).unwrap_or(0.0)),
                (false, false) => self.score(&q, variant),
            };
            if score < FUZZY_THRESHOLD {
                continue;
            }
            let better = match best {
                None => true,
                Some((entry, s)) => score > s || (score == s && id_of(variant.entry) < id_of(entry)),
            };
            if better {
                best = Some((variant.entry, score));
            }
        }
        best
    }

    fn score(&self, q: &Query, v: &Variant) -> f64 {
        let shared: f64 = intersection(&q.set, &v.set).map(|t| self.weight(t)).sum();
        let pairs = intersection(&q.pairs, &v.pairs).count();
        let cover = (shared / q.weight).min(shared / v.weight);
        let pair_dice = 2.0 * pairs as f64 / (q.pairs.len() + v.pairs.len()).max(1) as f64;
        TOKEN_SHARE * cover + (1.0 - TOKEN_SHARE) * pair_dice
    }

    /// The score of `v` found at the start of the wording with qualifiers after it.
    fn prefix_score(&self, q: &Query, v: &Variant) -> Option<f64> {
        let k = v.tokens.len();
        if !v.prefix || q.tokens.len() < k || q.tokens[..k] != v.tokens[..] {
            return None;
        }
        let rest = q.key[q.ends[k - 1]..].trim_start();
        let listed = rest.starts_with([',', '/']) || ["hoặc", "và"].iter().any(|w| rest.split(' ').next() == Some(w));
        (!listed).then(|| PREFIX_BASE + (1.0 - PREFIX_BASE) * k as f64 / q.tokens.len() as f64)
    }
}

/// The items two sorted, deduplicated slices share.
fn intersection<'a, T: Ord + Copy>(a: &'a [T], b: &'a [T]) -> impl Iterator<Item = T> + 'a {
    let (mut i, mut j) = (0, 0);
    std::iter::from_fn(move || {
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    i += 1;
                    j += 1;
                    return Some(a[i - 1]);
                }
            }
        }
        None
    })
}

#[cfg(test)]
impl Index {
    /// The best score of each entry's names worded as `form` says against a folded wording,
    /// best first, threshold or not: to look at near misses.
    pub(super) fn all_scores(&self, key: &str, form: bool) -> Vec<(u32, f64)> {
        let mut q = self.query(key);
        self.complete(&mut q);
        let score = |v: &Variant| self.score(&q, v).max(self.prefix_score(&q, v).unwrap_or(0.0));
        let mut out: Vec<(u32, f64)> = self.variants.iter().filter(|v| v.form == form).map(|v| (v.entry, score(v))).collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}
