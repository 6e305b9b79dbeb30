//! The portal dossier splitter on real records: the rows of 34 records counted by hand
//! (`tests/fixtures/portal/expected.csv`) must come out exactly; no text, however mangled,
//! makes it panic; and, ignored by default, figures over a whole folder of records.

use paperwork::interop::portal::dossier::{Dossier, Row, split};
use paperwork::interop::portal::record::{Record, read};
use paperwork::model::CopyKind;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/portal")
}

fn records() -> Vec<Record> {
    let read = read(&[fixtures().join("records")]);
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    read.records
}

/// One row as `expected.csv` writes it.
#[derive(Debug, PartialEq, Eq)]
struct Expected {
    number: usize,
    name: String,
    originals: u32,
    copies: u32,
    presented: bool,
    case: String,
    note: bool,
}

fn expected() -> BTreeMap<String, Vec<Expected>> {
    let mut out: BTreeMap<String, Vec<Expected>> = BTreeMap::new();
    let mut csv = csv::Reader::from_path(fixtures().join("expected.csv")).expect("expected.csv");
    for record in csv.records() {
        let r = record.expect("a CSV row");
        let row = Expected {
            number: r[1].parse().expect("number"),
            name: r[2].to_string(),
            originals: r[3].parse().expect("originals"),
            copies: r[4].parse().expect("copies"),
            presented: r[5].parse().expect("presented"),
            case: r[6].to_string(),
            note: r[7].parse().expect("note"),
        };
        out.entry(r[0].to_string()).or_default().push(row);
    }
    out
}

fn as_expected(d: &Dossier, row: &Row) -> Expected {
    Expected {
        number: row.number,
        name: row.name.clone(),
        originals: row.originals,
        copies: row.copies,
        presented: row.presented,
        case: row.case.map(|c| d.cases[c].clone()).unwrap_or_default(),
        note: row.note,
    }
}

#[test]
fn hand_counted_rows_come_out_exactly() {
    let records = records();
    let expected = expected();
    assert!(expected.len() >= 30, "at least 30 records are counted by hand");
    let mut failures = Vec::new();
    for (code, want) in &expected {
        let record = records.iter().find(|r| r.code == *code).unwrap_or_else(|| panic!("no fixture record {code}"));
        let d = split(&record.dossier);
        let got: Vec<Expected> = d.rows.iter().map(|row| as_expected(&d, row)).collect();
        if got.len() != want.len() {
            failures.push(format!("{code}: {} rows, {} counted by hand", got.len(), want.len()));
        }
        for (g, w) in got.iter().zip(want) {
            if g != w {
                failures.push(format!("{code} row {}:\n  got  {g:?}\n  want {w:?}", w.number));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_fixture_record_is_counted_and_both_ministries_are_there() {
    let expected = expected();
    let records = records();
    for r in &records {
        assert!(expected.contains_key(&r.code), "{} has no hand count", r.code);
    }
    for group in ["bo-cong-an", "bo-tu-phap"] {
        assert!(records.iter().any(|r| r.group == Path::new(group)), "{group}");
    }
}

fn dossier_of(code: &str) -> Dossier {
    let records = records();
    let record = records.iter().find(|r| r.code == code).expect(code);
    split(&record.dossier)
}

#[test]
fn form_files_of_real_rows() {
    let cases = [
        ("1.000232", 1, Some("Mau NA20-BCA.docx")),
        ("1.000253", 1, Some("101-Mau A17 tam tru cho nguoi nuoc ngoai.doc")),
        ("1.003425", 2, Some("4-Mẫu NA2.doc")),
        ("1.000811", 1, Some("Tờ khai đề nghị cấp thẻ ABTC (mẫu TK06) (1).pdf")),
        ("1.003005", 6, Some("1.nxinnhnconnui.doc")),
        ("1.013812", 2, Some("Mẫu TP-TSCC-01a.docx; Mẫu TP-TSCC-01b.docx")),
        ("1.010038", 2, Some("1.MuCT01banhnhkmtheoThngts53 (3).doc")),
        ("3.000509", 1, Some("PC21.docx")),
        ("3.000228", 3, Some("TK01-Phiunghcptikhonnhdanhintcnccint.docx")),
        ("2.001716", 1, Some("Mẫu TP-HGTM-04.docx")),
        ("1.002563", 1, None),
    ];
    for (code, number, form) in cases {
        let d = dossier_of(code);
        assert_eq!(d.rows[number - 1].form_file.as_deref(), form, "{code} row {number}");
    }
}

#[test]
fn copy_kinds_of_real_rows() {
    let kind = |code: &str, number: usize| dossier_of(code).rows[number - 1].copy();
    assert_eq!(kind("1.000232", 1), Some(CopyKind::Original));
    assert_eq!(kind("1.002181", 1), Some(CopyKind::Copy));
    assert_eq!(kind("1.008923", 1), Some(CopyKind::CertifiedCopy));
    assert_eq!(kind("2.000884", 1), Some(CopyKind::Presented));
    assert_eq!(kind("1.014059", 4), Some(CopyKind::Presented));
    assert_eq!(kind("1.000236", 1), None);
}

#[test]
fn raw_keeps_the_quantity_and_the_form() {
    let d = dossier_of("1.000232");
    assert_eq!(d.rows[0].raw, "Văn bản đề nghị hủy tài khoản điện tử (NA20).Mau NA20-BCA.docx1 bản chính");
}

/// Invariants that hold for any text.
fn check(d: &Dossier) {
    for (i, row) in d.rows.iter().enumerate() {
        assert_eq!(row.number, i + 1);
        assert!(row.case.is_none_or(|c| c < d.cases.len()));
        assert!(row.name.trim() == row.name);
        if row.originals == 0 && row.copies == 0 && !row.presented {
            assert!(row.note, "{row:?}");
        }
        assert_eq!(row.copy().is_none(), row.note || (!row.presented && row.originals == 0 && row.copies == 0));
    }
}

fn fixture_texts() -> Vec<String> {
    records().into_iter().map(|r| r.dossier).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_text_splits_without_panicking(text in "\\PC*") {
        check(&split(&text));
    }

    #[test]
    fn table_like_text_splits_without_panicking(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("Tên giấy tờMẫu đơn, tờ khaiSố lượng".to_string()),
                Just("* Giấy tờ phải xuất trình:".to_string()),
                Just("- Trường hợp ".to_string()),
                Just("Lưu ý".to_string()),
                Just(".docx".to_string()),
                Just(" bản chính".to_string()),
                Just(",1 bản sao".to_string()),
                Just("\u{a0}".to_string()),
                Just("Xuất trình".to_string()),
                "[0-9]{1,4}",
                "[a-zA-ZđĐàáạảãăâêôơư()./;:,\u{a0}\u{200e} -]{0,12}",
            ],
            0..24,
        )
    ) {
        check(&split(&parts.concat()));
    }

    #[test]
    fn mangled_real_texts_split_without_panicking(
        which in any::<prop::sample::Index>(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<char>()), 1..12),
    ) {
        let texts = fixture_texts();
        let mut chars: Vec<char> = which.get(&texts).chars().collect();
        for (at, op, c) in edits {
            let i = at.index(chars.len() + 1);
            match op {
                0 => chars.insert(i, c),
                1 if i < chars.len() => { chars.remove(i); }
                2 if i < chars.len() => chars[i] = c,
                _ => chars.truncate(i),
            }
        }
        let text: String = chars.into_iter().collect();
        check(&split(&text));
    }
}

/// Figures over every record of `PORTAL_RECORDS` (default: the shared copy of the 610 records of
/// the Ministries of Public Security and Justice). Run with `--ignored --nocapture`.
#[test]
#[ignore = "reads records outside the repository"]
fn corpus_figures() {
    let dir = std::env::var_os("PORTAL_RECORDS").map_or_else(|| PathBuf::from("/work/shared/data/portal/dvc"), PathBuf::from);
    let read = read(&[dir]);
    let (mut rows, mut notes, mut presented, mut in_cases, mut with_cases, mut cases) = (0, 0, 0, 0, 0, 0);
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut empty = Vec::new();
    for r in &read.records {
        let d = split(&r.dossier);
        rows += d.rows.len();
        notes += d.rows.iter().filter(|x| x.note).count();
        presented += d.rows.iter().filter(|x| x.presented && !x.note).count();
        in_cases += d.rows.iter().filter(|x| x.case.is_some() && !x.note).count();
        cases += d.cases.len();
        with_cases += usize::from(!d.cases.is_empty());
        for row in &d.rows {
            *kinds.entry(format!("{:?}", row.copy())).or_default() += 1;
        }
        if d.rows.iter().all(|x| x.note) {
            empty.push(r.code.clone());
        }
    }
    println!("records read: {}, warnings: {}", read.records.len(), read.warnings.len());
    for w in &read.warnings {
        println!("  {w}");
    }
    println!("rows: {rows}, notes: {notes}, document rows: {}", rows - notes);
    println!("records with cases: {with_cases}, cases: {cases}, document rows in a case: {in_cases}");
    println!("presented document rows: {presented}");
    println!("copy kinds: {kinds:?}");
    println!("records without a document row: {empty:?}");
}
