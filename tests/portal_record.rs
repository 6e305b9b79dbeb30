//! Reading portal records: one object per file, arrays, JSON Lines, folders in sorted path
//! order; every bad file or record is a warning naming the file (and the line or item), never a
//! panic and never a silent loss.

use paperwork::interop::portal::record::{Read, ResultDoc, read};
use paperwork::model::Level;
use std::fs;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/portal")
}

fn codes(read: &Read) -> Vec<&str> {
    read.records.iter().map(|r| r.code.as_str()).collect()
}

/// Each warning as `file name, item: start of the reason`.
fn warnings(read: &Read) -> Vec<(String, Option<usize>, String)> {
    read.warnings
        .iter()
        .map(|w| {
            let file = w.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            (file, w.item, w.reason.clone())
        })
        .collect()
}

#[test]
fn a_folder_is_read_recursively_in_sorted_path_order() {
    let read = read(&[fixtures().join("records")]);
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    assert_eq!(read.records.len(), 34);
    let paths: Vec<&Path> = read.records.iter().map(|r| r.file.as_path()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert_eq!(read.records[0].group, Path::new("bo-cong-an"));
    assert_eq!(read.records.last().map(|r| r.group.as_path()), Some(Path::new("bo-tu-phap")));
}

#[test]
fn a_record_s_fields() {
    let read = read(&[fixtures().join("records/bo-cong-an/1.000232.json")]);
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    let r = &read.records[0];
    assert_eq!(r.code, "1.000232");
    assert_eq!(r.group, Path::new("1.000232"), "an input file is its own group");
    assert_eq!(r.name, "Huỷ tài khoản điện tử trong trường hợp cơ quan, tổ chức có tài khoản đề nghị bằng văn bản");
    assert_eq!(r.decision.as_deref(), Some("6968/QĐ-BCA"));
    assert_eq!(r.levels, [Level::Central]);
    assert_eq!(r.sector.as_deref(), Some("Quản lý xuất nhập cảnh"));
    assert!(r.applicants.as_deref().is_some_and(|a| a.starts_with("Doanh nghiệp, Tổ chức nước ngoài")));
    assert_eq!(r.competent_agency.as_deref(), Some("Cục quản lý xuất nhập cảnh"));
    assert_eq!(r.performing_agency.as_deref(), Some("Cục quản lý xuất nhập cảnh"));
    assert_eq!(
        r.results,
        [ResultDoc { name: "Công văn thông báo hủy tài khoản điện tử (NB10)".into(), code: Some("KQ.G01.000068".into()) }]
    );
    assert_eq!(r.legal_basis, ["04/2015/TT-BCA", "47/2014/QH13", "51/2019/QH14", "57/2020/TT-BCA"]);
    assert_eq!(r.url.as_deref(), Some("https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bf7-4fe7-7458-b390-fa60d16e0112"));
    assert!(r.dossier.starts_with("--Tên giấy tờ"));
}

#[test]
fn arrays_json_lines_and_bad_records() {
    let read = read(&[fixtures().join("odd")]);
    assert_eq!(codes(&read), ["3.000369", "1.004222", "1.004045", "2.000829"]);
    let w = warnings(&read);
    assert_eq!(w.len(), 5, "{w:#?}");
    assert_eq!((w[0].0.as_str(), w[0].1), ("3.000364.json", None));
    assert!(w[0].2.starts_with("procedure 3.000364 has no dossier (`thanh_phan_ho_so` is missing or empty)"), "{}", w[0].2);
    assert_eq!((w[1].0.as_str(), w[1].1), ("array.json", Some(3)));
    assert!(w[1].2.starts_with("item 3 of the array is a string, not a JSON object"), "{}", w[1].2);
    assert_eq!((w[2].0.as_str(), w[2].1), ("array.json", Some(4)));
    assert!(w[2].2.contains("no procedure code (`ma_thu_tuc`"), "{}", w[2].2);
    assert_eq!((w[3].0.as_str(), w[3].1), ("records.jsonl", Some(3)));
    assert!(w[3].2.starts_with("line 3 is not valid JSON"), "{}", w[3].2);
    assert_eq!((w[4].0.as_str(), w[4].1), ("records.jsonl", Some(5)));
    assert!(w[4].2.starts_with("line 5 is a number, not a JSON object"), "{}", w[4].2);
    let jsonl = &read.records[2];
    assert_eq!(jsonl.group, Path::new("odd"), "files directly in the input folder take its name");
}

fn record(code: &str, dossier: &str) -> String {
    format!(r#"{{"ma_thu_tuc": "{code}", "ten_thu_tuc": "Thủ tục {code}", "thanh_phan_ho_so": "{dossier}"}}"#)
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

#[test]
fn nested_folders_name_the_groups() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("dvc");
    write(&root.join("b/x.json"), &record("2", "Đơn1 bản chính"));
    write(&root.join("a/c/y.JSON"), &record("1", "Đơn1 bản chính"));
    write(&root.join("a/z.ndjson"), &format!("{}\n{}\n", record("3", "Đơn1 bản chính"), record("4", "Đơn1 bản chính")));
    write(&root.join("top.jsonl"), &record("5", "Đơn1 bản chính"));
    write(&root.join("notes.txt"), "not a record");
    let read = read(std::slice::from_ref(&root));
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    assert_eq!(codes(&read), ["1", "3", "4", "2", "5"]);
    let groups: Vec<&Path> = read.records.iter().map(|r| r.group.as_path()).collect();
    assert_eq!(groups, [Path::new("a/c"), Path::new("a"), Path::new("a"), Path::new("b"), Path::new("dvc")]);
    assert_eq!(read.records[1].file, root.join("a/z.ndjson"));
}

#[test]
fn duplicate_codes_are_skipped_with_a_warning_naming_the_first_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = dir.path().join("one/1.json");
    let second = dir.path().join("two/records.json");
    write(&first, &record("1.000001", "Đơn1 bản chính"));
    write(&second, &format!("[{}, {}]", record("1.000002", "Đơn1 bản chính"), record("1.000001", "Tờ khai1 bản chính")));
    let read = read(&[dir.path().join("one"), second.clone()]);
    assert_eq!(codes(&read), ["1.000001", "1.000002"]);
    assert_eq!(read.records[0].dossier, "Đơn1 bản chính", "the first one read is kept");
    assert_eq!(read.warnings.len(), 1);
    let w = &read.warnings[0];
    assert_eq!((w.file.as_path(), w.item), (second.as_path(), Some(2)));
    assert!(w.reason.contains("procedure code 1.000001, already read from") && w.reason.contains("1.json"), "{}", w.reason);
}

#[test]
fn fields_the_portal_leaves_empty_are_absent_and_unknown_ones_ignored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("r.json");
    let text = "\u{feff}{\"ma_thu_tuc\": \" 1.000003 \", \"ten_thu_tuc\": \"Thủ\u{a0}tục  mới\", \"so_quyet_dinh\": \"\", \
        \"linh_vuc\": \"Không có thông tin\", \"co_quan_co_tham_quyen\": \"Bộ\u{a0}Công an.\", \"co_quan_thuc_hien\": 7, \
        \"cap_thuc_hien\": \"Cấp huyện\", \"thanh_phan_ho_so\": \"Đơn1 bản chính\", \"truong_moi\": {\"x\": [1, 2]}}";
    write(&file, text);
    let read = read(&[file]);
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    let r = &read.records[0];
    assert_eq!((r.code.as_str(), r.name.as_str()), ("1.000003", "Thủ tục mới"));
    assert_eq!((r.decision.as_deref(), r.sector.as_deref(), r.performing_agency.as_deref()), (None, None, None));
    assert_eq!(r.competent_agency.as_deref(), Some("Bộ Công an"));
    assert_eq!(r.levels, [Level::Commune]);
    assert!(r.results.is_empty() && r.legal_basis.is_empty() && r.url.is_none());
}

#[test]
fn unreadable_inputs_are_warnings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let not_utf8 = dir.path().join("latin1.json");
    fs::write(&not_utf8, b"{\"ma_thu_tuc\": \"\xe9\"}").expect("write");
    let broken = dir.path().join("broken.json");
    write(&broken, "{\"ma_thu_tuc\": ");
    let numeric = dir.path().join("numeric.json");
    write(&numeric, r#"{"ma_thu_tuc": 1.000178, "thanh_phan_ho_so": "Đơn1 bản chính"}"#);
    let empty = dir.path().join("empty.json");
    write(&empty, " \n");
    let missing = dir.path().join("missing.json");
    let no_items = dir.path().join("no_items.json");
    write(&no_items, "[]");
    let twice = dir.path().join("twice.json");
    write(&twice, r#"{"ma_thu_tuc": "9.000008", "thanh_phan_ho_so": "Đơn1 bản chính", "ma_thu_tuc": "9.000009"}"#);
    let spaced = dir.path().join("spaced.json");
    write(&spaced, r#"{"ma_thu_tuc": "9.000\n005", "thanh_phan_ho_so": "Đơn1 bản chính"}"#);
    let escaped = dir.path().join("escaped.json");
    write(&escaped, r#"{"ma_thu_tuc": "9.000\u001b005", "thanh_phan_ho_so": "Đơn1 bản chính"}"#);
    let read = read(&[not_utf8, broken, numeric, empty, missing.clone(), missing, no_items, spaced, escaped, twice]);
    assert!(read.records.is_empty());
    let reasons: Vec<String> = warnings(&read).into_iter().map(|(file, _, reason)| format!("{file}: {reason}")).collect();
    assert_eq!(reasons.len(), 10, "{reasons:#?}");
    assert!(reasons[9].starts_with("twice.json: names a key twice (`ma_thu_tuc` appears twice"), "{}", reasons[9]);
    assert!(reasons[9].ends_with("so it is ambiguous and was skipped"), "{}", reasons[9]);
    for (i, file) in [(7, "spaced"), (8, "escaped")] {
        assert!(reasons[i].starts_with(&format!("{file}.json: the record has a procedure code `9.000")), "{}", reasons[i]);
        assert!(reasons[i].contains("cannot become a procedure id"), "{}", reasons[i]);
    }
    assert!(reasons[6].starts_with("no_items.json: is an empty array"), "{}", reasons[6]);
    assert!(reasons[0].starts_with("latin1.json: is not UTF-8 text"), "{}", reasons[0]);
    assert!(reasons[1].starts_with("broken.json: is not valid JSON"), "{}", reasons[1]);
    assert!(reasons[2].starts_with("numeric.json: the record has a procedure code (`ma_thu_tuc`) that is not text"), "{}", reasons[2]);
    assert!(reasons[3].starts_with("empty.json: is empty"), "{}", reasons[3]);
    assert!(reasons[4].starts_with("missing.json: cannot be read"), "{}", reasons[4]);
}

#[test]
fn a_file_named_twice_is_read_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("r.json");
    write(&file, &record("1.000004", "Đơn1 bản chính"));
    let read = read(&[dir.path().to_path_buf(), file]);
    assert_eq!(codes(&read), ["1.000004"]);
    assert_eq!(read.warnings.len(), 1);
    assert!(read.warnings[0].reason.contains("named more than once"), "{}", read.warnings[0].reason);
}

#[test]
fn json_lines_in_a_json_file_are_recognised() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("export.json");
    write(&file, &format!("{}\n{}\n", record("1.000005", "Đơn1 bản chính"), record("1.000006", "Đơn1 bản chính")));
    let read = read(&[file]);
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    assert_eq!(codes(&read), ["1.000005", "1.000006"]);
}

#[cfg(unix)]
#[test]
fn special_files_are_skipped_without_being_opened() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("pipe.json");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
    write(&dir.path().join("ok.json"), &record("1.000007", "Đơn1 bản chính"));
    let read = read(&[dir.path().to_path_buf(), PathBuf::from("/dev/null")]);
    assert_eq!(codes(&read), ["1.000007"]);
    let not_regular: Vec<&Path> =
        read.warnings.iter().filter(|w| w.reason.starts_with("is not a regular file")).map(|w| w.file.as_path()).collect();
    let mut want = vec![Path::new("/dev/null")];
    if made {
        want.insert(0, fifo.as_path());
    }
    assert_eq!(not_regular, want);
}
