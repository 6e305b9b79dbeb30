//! Interoperability: component sheets in (CSV and workbooks), CPSV-AP JSON-LD and the sheet
//! itself out, and the round trip between them.

use assert_cmd::Command;
use paperwork::engine::{AnalyzeOptions, analyze};
use paperwork::interop::sheet::{self, Columns, ImportOptions};
use paperwork::load::{LoadOptions, load};
use paperwork::model::CopyKind;
use paperwork::workspace::{ProcId, Workspace};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(rel: &str) -> PathBuf {
    manifest().join("tests/fixtures").join(rel)
}

fn paperwork() -> Command {
    let mut c = Command::cargo_bin("paperwork").unwrap();
    c.env("NO_COLOR", "1");
    c
}

/// Runs the binary; returns exit code, stdout, stderr.
fn run(args: &[&str]) -> (i32, String, String) {
    // Never leave a parse cache in the fixtures.
    let out = paperwork().arg("--no-cache").args(args).output().unwrap();
    let (stdout, stderr) = (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap());
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code().unwrap(), stdout, stderr)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A workspace holding a copy of `from`'s rules and no procedures yet.
fn rules_of(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("rules")).unwrap();
    std::fs::create_dir_all(dir.path().join("procedures")).unwrap();
    for entry in std::fs::read_dir(from.join("rules")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join("rules").join(path.file_name().unwrap())).unwrap();
    }
    dir
}

fn engine() -> PathBuf {
    fixture("engine")
}

fn loaded(root: &Path) -> Workspace {
    let l = load(&LoadOptions::new(root));
    let errors: Vec<_> = l.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    l.workspace
}

fn analysis_json(root: &Path) -> String {
    let ws = loaded(root);
    let a = analyze(&ws, &AnalyzeOptions::default());
    paperwork::report::text::json(&paperwork::report::analysis_report(&ws, &a, paperwork::findings::of(&ws, &a)))
}

/// Imports `sheet` into `<ws>/procedures/imported.yaml` through the binary, expecting success.
fn import_ok(ws: &Path, sheet: &Path, extra: &[&str]) {
    let out = ws.join("procedures/imported.yaml");
    let mut args = vec!["-C", s(ws), "import", s(sheet), "--out", s(&out)];
    args.extend(extra);
    let (code, _, stderr) = run(&args);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("wrote "), "{stderr}");
}

fn import_lib(ws: &Workspace, sheet: &Path, opts: &ImportOptions) -> Vec<String> {
    let imported = sheet::import(sheet, "sheet", opts, ws, None).unwrap();
    imported
        .diagnostics
        .iter()
        .map(|d| {
            let l = d.location.clone().unwrap();
            format!("{} {}:{}:{} {}", d.code.as_str(), l.file, l.line, l.column, d.help.clone().unwrap_or_default())
        })
        .collect()
}

#[test]
fn a_csv_sheet_becomes_yaml_that_checks_clean() {
    let ws = rules_of(&engine());
    import_ok(ws.path(), &fixture("import/components.csv"), &[]);
    let (code, stdout, _) = run(&["-C", s(ws.path()), "check", "--color", "never"]);
    assert_eq!(code, 0, "{stdout}");

    let w = loaded(ws.path());
    let doc = |name: &str| w.doc_ids.get(name).unwrap();
    let fact = |name: &str| w.fact_ids.get(name).unwrap().index();
    assert_eq!(w.procedures.len(), 3);
    let birth = &w.procedures[ProcId::new(0)];
    assert_eq!(birth.name.as_deref(), Some("Đăng ký khai sinh"));
    assert_eq!(birth.name_en.as_deref(), Some("Birth registration"));
    assert_eq!(birth.annual_volume, 1_500_000);
    assert_eq!(birth.level().as_str(), "commune");
    assert_eq!(birth.components.len(), 4, "continuation rows join the procedure above; the repeat row adds one");
    let alt = &birth.components[1];
    assert!(alt.one_of);
    assert_eq!(alt.documents, [doc("id_card"), doc("passport")]);
    assert_eq!(alt.of.as_deref(), Some("cha hoặc mẹ"));
    assert_eq!(alt.copy, Some(CopyKind::Presented));
    let narrowed: Vec<usize> = alt.proves.as_ref().unwrap().ones().collect();
    assert_eq!(narrowed, {
        let mut v = vec![fact("p.name"), fact("p.dob")];
        v.sort();
        v
    });
    let conditional = &birth.components[2];
    assert_eq!(conditional.when.as_deref(), Some("nếu cha, mẹ\nđã đăng ký kết hôn"));
    assert_eq!(conditional.copy, Some(CopyKind::CertifiedCopy));
    assert_eq!(birth.components[3].copy, Some(CopyKind::Original));

    let land = &w.procedures[ProcId::new(1)];
    assert_eq!(land.life_events, ["buying_land", "moving_house"]);
    assert_eq!(land.components.len(), 2, "the blank row is skipped");
    assert_eq!(land.components[1].proves.as_ref().map(|p| p.count_ones(..)), Some(0), "`[]` is an explicitly empty list");
    let passport = &w.procedures[ProcId::new(2)];
    assert!(passport.components.is_empty());
    assert_eq!(passport.annual_volume, 2000);
    assert_eq!(passport.life_events, ["travel_abroad"]);
}

#[test]
fn bad_cells_are_located_by_row_and_column_with_a_likely_fix() {
    let rules = rules_of(&engine());
    let ws = loaded(rules.path());
    let got = import_lib(&ws, &fixture("import/errors.csv"), &ImportOptions::default());
    // Row 2 spans two lines (a line break inside a quoted cell): rows are counted as a spreadsheet does.
    let expected = [
        "E040 sheet:3:3 give one value for the whole procedure (cells of later rows may also be left empty)",
        "E041 sheet:3:6 did you mean `marital_cert`?",
        "E041 sheet:4:7 did you mean `passport`?",
        "E042 sheet:4:8 write original, copy, certified_copy or presented (or bản chính, bản sao, bản sao có chứng thực, xuất trình)",
        "E041 sheet:4:9 did you mean `p.name`?",
        "E042 sheet:5:4 write central, province, commune or other (or trung ương, tỉnh, xã, cơ quan khác); separate several by `;`",
        "E042 sheet:5:5 write the dossiers per year as digits, e.g. 1500000 or 1,500,000",
        "E042 sheet:6:8 fill the `document` cell of this row, or clear the component's cells",
        "E041 sheet:7:3 did you mean `mps`?",
    ];
    assert_eq!(got, expected);

    let dir = rules_of(&engine());
    let out = dir.path().join("procedures/x.yaml");
    let (code, _, stderr) = run(&["-C", s(dir.path()), "import", s(&fixture("import/errors.csv")), "--out", s(&out), "--color", "never"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("error[E041]: unknown document `marital_cret` [import-unknown-reference]"), "{stderr}");
    assert!(stderr.contains("errors.csv:3:6"), "{stderr}");
    assert!(stderr.contains("help: did you mean `marital_cert`?"), "{stderr}");
    assert!(stderr.contains("9 errors, 0 warnings") && stderr.contains("nothing was written"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn rows_of_one_procedure_must_agree_and_the_workspace_must_not_hold_it_already() {
    let ws = loaded(&engine());
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("c.csv");
    std::fs::write(
        &sheet,
        "procedure,name,agency,level,volume,document\n\
         9.001,A,moj,commune,10,form_a\n\
         9.001,B,moj,xã,\"10\",photo\n\
         1.001,Birth,moj,commune,1,form_a\n",
    )
    .unwrap();
    let imported = sheet::import(&sheet, "c.csv", &ImportOptions::default(), &ws, None).unwrap();
    let found: Vec<(String, u32, u32, usize)> = imported
        .diagnostics
        .iter()
        .map(|d| {
            let l = d.location.as_ref().unwrap();
            (d.code.as_str().to_string(), l.line, l.column, d.related.len())
        })
        .collect();
    // `xã` is `commune` and `"10"` is 10: only the name disagrees. `1.001` is in the fixture.
    assert_eq!(found, [("E040".to_string(), 3, 2, 1), ("E040".to_string(), 4, 1, 1)]);
    assert!(imported.diagnostics[0].message.contains("`name` `B` here, but `A` in row 2"), "{}", imported.diagnostics[0].message);
    assert_eq!(imported.diagnostics[1].related[0].location.file, engine().join("procedures/all.yaml").display().to_string());
}

/// Writes `text` as `name` in a fresh folder; the folder must outlive the sheet's use.
fn sheet_file(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

/// Codes, places and messages of what importing `sheet` into the engine fixture's rules finds.
fn import_messages(sheet: &Path) -> Vec<String> {
    let rules = rules_of(&engine());
    let ws = loaded(rules.path());
    let imported = sheet::import(sheet, "s.csv", &ImportOptions::default(), &ws, None).unwrap();
    imported
        .diagnostics
        .iter()
        .map(|d| {
            let l = d.location.as_ref().unwrap();
            let related: Vec<String> = d.related.iter().map(|r| format!(" ({}:{})", r.location.line, r.location.column)).collect();
            format!("{} {}:{} {}{}", d.code.as_str(), l.line, l.column, d.message, related.concat())
        })
        .collect()
}

#[test]
fn a_sheet_with_cases_gives_each_case_its_components_and_share() {
    // The share of `Trong nước` stands on its second row only; `Khác` is declared with no
    // component; renamed headers work for the case columns as for the others.
    let (_dir, sheet) = sheet_file(
        "cases.csv",
        "procedure,name,agency,level,volume,document,Trường hợp,Tỷ lệ\n\
         9.001,Kết hôn,moj,\"tỉnh; xã\",1000,form_a,,\n\
         ,,,,,id_card,Trong nước,\n\
         ,,,,,birth_cert,Nước ngoài,\n\
         ,,,,,photo,Trong nước,80%\n\
         ,,,,,,Khác,\n\
         9.002,Khai sinh,moj,commune,10,form_a,,\n",
    );
    let ws = rules_of(&engine());
    import_ok(ws.path(), &sheet, &["--column", "case=Trường hợp", "--column", "case_share=tỷ lệ"]);
    let yaml = std::fs::read_to_string(ws.path().join("procedures/imported.yaml")).unwrap();
    assert!(yaml.contains("level: [province, commune]") && yaml.contains("level: commune"), "{yaml}");
    assert!(yaml.contains("cases:\n  - name: Trong nước\n    share: 0.8\n    documents:"), "{yaml}");
    let (code, stdout, _) = run(&["-C", s(ws.path()), "check", "--color", "never"]);
    assert_eq!(code, 0, "{stdout}");

    let w = loaded(ws.path());
    let doc = |name: &str| w.doc_ids.get(name).unwrap();
    let p = &w.procedures[ProcId::new(0)];
    let levels: Vec<&str> = p.levels.iter().map(|l| l.as_str()).collect();
    assert_eq!(levels, ["province", "commune"]);
    let cases: Vec<(&str, String, bool, u64)> =
        p.cases.iter().map(|k| (k.name.as_str(), format!("{:.3}", k.share), k.stated, k.volume)).collect();
    let case = |name, share: &str, stated, volume| (name, share.to_string(), stated, volume);
    assert_eq!(cases, [case("Trong nước", "0.800", true, 800), case("Nước ngoài", "0.100", false, 100), case("Khác", "0.100", false, 100)]);
    let components: Vec<_> = p.components.iter().map(|c| (c.documents[0], c.case)).collect();
    assert_eq!(components, [(doc("form_a"), None), (doc("id_card"), Some(0)), (doc("photo"), Some(0)), (doc("birth_cert"), Some(1))]);
    assert!(w.procedures[ProcId::new(1)].cases.is_empty());

    // The export writes the case cells on every row of a case (the share only where stated),
    // and a row for the case without components.
    let (code, csv, _) = run(&["-C", s(ws.path()), "-q", "export", "--format", "csv"]);
    assert_eq!(code, 0);
    let rows = csv_rows(&csv);
    let col = |key: &str| rows[0].iter().position(|h| h == key).unwrap();
    let cells: Vec<(&str, &str, &str)> =
        rows[1..6].iter().map(|r| (r[col("document")].as_str(), r[col("case")].as_str(), r[col("case_share")].as_str())).collect();
    assert_eq!(
        cells,
        [
            ("form_a", "", ""),
            ("id_card", "Trong nước", "0.8"),
            ("photo", "Trong nước", "0.8"),
            ("birth_cert", "Nước ngoài", ""),
            ("", "Khác", "")
        ]
    );
    assert_eq!(rows[1][col("level")], "province; commune");
    round_trip(ws.path());
}

#[test]
fn case_shares_that_disagree_or_are_out_of_range_are_located_at_the_cell() {
    let (_dir, sheet) = sheet_file(
        "s.csv",
        "procedure,agency,level,document,case,case_share\n\
         9.001,moj,commune,form_a,A,0.5\n\
         9.001,,,id_card,A,\n\
         9.001,,,photo,A,50%\n\
         9.001,,,passport,A,0.6\n\
         9.001,,,birth_cert,B,0\n\
         9.001,,,marital_cert,C,1.5\n\
         9.001,,,land_cert,D,a quarter\n\
         9.001,,,health_cert,,0.3\n",
    );
    assert_eq!(
        import_messages(&sheet),
        [
            "E040 5:6 case `A` of procedure `9.001` has `case_share` `0.6` here, but `0.5` in row 2 (2:6)",
            "E042 6:6 case share `0` is not above 0 and at most 1",
            "E042 7:6 case share `1.5` is not above 0 and at most 1",
            "E042 8:6 case share `a quarter` is not a number",
            "E042 9:6 row 9 gives a `case_share` but names no case",
        ]
    );
    let rules = rules_of(&engine());
    let got = import_lib(&loaded(rules.path()), &sheet, &ImportOptions::default());
    assert_eq!(got[0], "E040 sheet:5:6 give one share for the whole case (the `case_share` cells of its other rows may be left empty)");
    assert!(got[1].starts_with("E042 sheet:6:6 write the fraction of the procedure's dossiers in this case, e.g. 0.25 or 25%"), "{got:?}");
}

#[test]
fn a_level_cell_may_list_several_levels() {
    let (_dir, sheet) = sheet_file(
        "s.csv",
        "procedure,agency,level,document\n\
         9.001,moj,\"Cấp tỉnh, Cấp xã\",form_a\n\
         9.001,moj,commune province,id_card\n\
         9.002,moj,Cơ quan khác,form_a\n\
         9.003,moj,[central; other],form_a\n\
         9.004,moj,tỉnh; huyện,form_a\n\
         9.005,moj,[],form_a\n\
         9.006,moj,xã,form_a\n\
         9.006,moj,xã; tỉnh,id_card\n",
    );
    // Rows agree when they name the same levels, in any order and words.
    assert_eq!(
        import_messages(&sheet),
        [
            "E042 6:3 `huyện` in `tỉnh; huyện` is not a level",
            "E042 7:3 `[]` names no level",
            "E040 9:3 procedure `9.006` has `level` `xã; tỉnh` here, but `xã` in row 8 (8:3)",
        ]
    );
    let text = std::fs::read_to_string(&sheet).unwrap();
    let valid: String = text.lines().take(5).map(|l| format!("{l}\n")).collect();
    std::fs::write(&sheet, valid).unwrap();
    let ws = rules_of(&engine());
    import_ok(ws.path(), &sheet, &[]);
    let yaml = std::fs::read_to_string(ws.path().join("procedures/imported.yaml")).unwrap();
    assert!(
        yaml.contains("level: [province, commune]") && yaml.contains("level: other") && yaml.contains("level: [central, other]"),
        "{yaml}"
    );
    let w = loaded(ws.path());
    let levels: Vec<Vec<&str>> = w.procedures.iter().map(|p| p.levels.iter().map(|l| l.as_str()).collect()).collect();
    assert_eq!(levels, [vec!["province", "commune"], vec!["other"], vec!["central", "other"]]);
}

#[test]
fn renamed_headers_and_semicolon_sheets() {
    let ws = rules_of(&engine());
    let renames = [
        "--column",
        "procedure=Mã thủ tục",
        "--column",
        "name=tên thủ tục",
        "--column",
        "agency=Cơ quan",
        "--column",
        "level=Cấp thực hiện",
        "--column",
        "document=Giấy tờ",
        "--column",
        "alternatives=Giấy tờ thay thế",
    ];
    import_ok(ws.path(), &fixture("import/renamed.csv"), &renames);
    let w = loaded(ws.path());
    let p = &w.procedures[ProcId::new(0)];
    assert_eq!(p.name.as_deref(), Some("Đăng ký khai sinh"));
    assert_eq!(p.components.len(), 2);
    assert_eq!(p.components[1].documents.len(), 2);

    let (code, _, stderr) =
        run(&["-C", s(ws.path()), "import", s(&fixture("import/renamed.csv")), "--out", "-", "--column", "documnet=Giấy tờ"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown column key `documnet`") && stderr.contains("did you mean `document`?"), "{stderr}");
}

#[test]
fn a_missing_or_misspelt_column_is_reported_at_the_header() {
    let rules = rules_of(&engine());
    let ws = loaded(rules.path());
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("h.csv");
    // Headers ignore case; `documnet` looks like a typo of a missing column (an error), `memo`
    // does not (a warning that it is not imported).
    std::fs::write(&sheet, "\n\nProcedure,LEVEL,documnet,memo,level\n1.001,commune,form_a,moj,x\n").unwrap();
    let got = import_lib(&ws, &sheet, &ImportOptions::default());
    assert_eq!(
        got,
        [
            "E043 sheet:3:0 add a column headed `agency`, or name yours with `--column agency=HEADER`",
            "E043 sheet:3:0 add a column headed `document`, or name yours with `--column document=HEADER`",
            "E043 sheet:3:3 did you mean `document`? (or map it with `--column KEY=HEADER`)",
            "W109 sheet:3:4 if it is meant for the sheet, head it with a column's name (procedure, name, agency, level, volume, document, condition, case, case_share, …) or map it with `--column KEY=HEADER`; a column of notes may stay",
            "E043 sheet:3:5 keep one of the two columns, or rename one with `--column KEY=HEADER`",
        ]
    );
    std::fs::write(&sheet, "Procedure,LEVEL,documnet,notes\n1.001,commune,form_a,moj\n").unwrap();
    let columns = Columns::with_renames(&["agency=Notes".to_string(), "document=documnet".to_string()]).unwrap();
    assert!(import_lib(&ws, &sheet, &ImportOptions { columns, sheet: None }).is_empty());
}

#[test]
fn an_existing_file_is_replaced_only_with_force() {
    let ws = rules_of(&engine());
    let sheet = fixture("import/components.csv");
    import_ok(ws.path(), &sheet, &[]);
    let out = ws.path().join("procedures/imported.yaml");
    std::fs::write(&out, "procedures: []\n# hand edits\n").unwrap();
    let (code, _, stderr) = run(&["-C", s(ws.path()), "import", s(&sheet), "--out", s(&out)]);
    assert_eq!(code, 2);
    assert!(stderr.contains("already exists; add --force to replace it"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "procedures: []\n# hand edits\n");

    // With the file's own procedures back in it, --force must not see them as duplicates.
    import_ok(ws.path(), &sheet, &["--force"]);
    import_ok(ws.path(), &sheet, &["--force"]);
    assert_eq!(loaded(ws.path()).procedures.len(), 3);
    let leftovers: Vec<_> = std::fs::read_dir(ws.path().join("procedures")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, ["imported.yaml"], "no temporary file is left behind");

    for (out, why) in
        [(ws.path().join("procedures/x.txt"), "must end in .yaml or .yml"), (ws.path().join("rules/x.yaml"), "inside the rules folder")]
    {
        let (code, _, stderr) = run(&["-C", s(ws.path()), "import", s(&sheet), "--out", s(&out)]);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains(why), "{stderr}");
        assert!(!out.exists());
    }
}

/// Writes rows of text (numbers where they parse as such) into a sheet of a workbook.
fn write_sheet(book: &mut rust_xlsxwriter::Workbook, name: &str, origin: (u32, u16), rows: &[Vec<String>]) {
    let sheet = book.add_worksheet();
    sheet.set_name(name).unwrap();
    for (i, row) in rows.iter().enumerate() {
        for (j, cell) in row.iter().enumerate() {
            let (r, c) = (origin.0 + i as u32, origin.1 + j as u16);
            match cell.parse::<f64>() {
                Ok(n) if i > 0 && !cell.contains('.') => sheet.write_number(r, c, n).map(|_| ()),
                _ if cell.is_empty() => Ok(()),
                _ => sheet.write_string(r, c, cell).map(|_| ()),
            }
            .unwrap();
        }
    }
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn a_workbook_sheet_is_chosen_by_name_and_cells_are_located_as_excel_shows_them() {
    let ws = rules_of(&engine());
    let dir = tempfile::tempdir().unwrap();
    let book_path = dir.path().join("catalog.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let rows = csv_rows(&std::fs::read_to_string(fixture("import/components.csv")).unwrap());
    write_sheet(&mut book, "Thủ tục", (0, 0), &rows);
    let bad = csv_rows("procedure,agency,level,document\n7.001,moj,commune,birth_certficate\n");
    // Data from C4: the unknown document sits in row 5, column 6 (F5).
    write_sheet(&mut book, "Sai", (3, 2), &bad);
    book.save(&book_path).unwrap();

    import_ok(ws.path(), &book_path, &[]);
    let w = loaded(ws.path());
    assert_eq!(w.procedures.len(), 3);
    assert_eq!(w.procedures[ProcId::new(0)].annual_volume, 1_500_000);
    assert_eq!(w.procedures[ProcId::new(0)].name.as_deref(), Some("Đăng ký khai sinh"));

    let out = ws.path().join("procedures/other.yaml");
    let (code, _, stderr) = run(&["-C", s(ws.path()), "import", s(&book_path), "--sheet", "Sai", "--out", s(&out)]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("catalog.xlsx:5:6") && stderr.contains("did you mean `birth_cert`?"), "{stderr}");

    let (code, _, stderr) = run(&["-C", s(ws.path()), "import", s(&book_path), "--sheet", "Thu tuc", "--out", s(&out)]);
    assert_eq!(code, 2);
    assert!(stderr.contains("has no sheet `Thu tuc`") && stderr.contains("`Thủ tục`, `Sai`"), "{stderr}");
}

#[test]
fn cpsv_ap_export_is_json_ld_with_and_or_evidence_lists() {
    let (code, text, stderr) = run(&["-C", s(&engine()), "-q", "export", "--format", "cpsv-ap"]);
    assert_eq!(code, 0, "{stderr}");
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["@context"][0], paperwork::interop::cpsv::CONTEXT);
    for prefix in ["cpsv", "cv", "dct", "cccev", "skos"] {
        assert!(doc["@context"][1][prefix].is_string(), "prefix {prefix}");
    }
    let graph = doc["@graph"].as_array().unwrap();
    let mut types: BTreeMap<&str, usize> = BTreeMap::new();
    let mut ids = BTreeSet::new();
    for n in graph {
        *types.entry(n["@type"].as_str().unwrap()).or_default() += 1;
        assert!(ids.insert(n["@id"].as_str().unwrap()), "duplicate {}", n["@id"]);
    }
    let expected: BTreeMap<&str, usize> = [
        ("cpsv:PublicService", 3),
        ("cccev:Requirement", 13),
        ("cccev:EvidenceTypeList", 14),
        ("cccev:EvidenceType", 9),
        ("cccev:InformationConcept", 9),
        ("dcat:Dataset", 4),
        ("cv:PublicOrganisation", 4),
        ("cv:LifeEvent", 3),
        ("skos:Concept", 3),
        ("cv:Output", 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(types, expected);
    // Every reference points at a node of the document.
    fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
        match v {
            Value::Object(m) if m.len() == 1 && m.contains_key("@id") => out.push(m["@id"].as_str().unwrap()),
            Value::Object(m) => m.values().for_each(|v| refs(v, out)),
            Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut targets = Vec::new();
    refs(&doc["@graph"], &mut targets);
    for t in targets {
        assert!(ids.contains(t), "dangling reference {t}");
    }
    let node = |id: &str| graph.iter().find(|n| n["@id"] == id).unwrap_or_else(|| panic!("no node {id}"));

    // `one_of: [passport, id_card]`: two lists (OR), one evidence type each.
    let req = node("urn:paperwork:requirement:2.001:2");
    let lists = req["cccev:hasEvidenceTypeList"].as_array().unwrap();
    assert_eq!(lists.len(), 2);
    let specified: Vec<&str> = lists
        .iter()
        .map(|l| {
            let types = node(l["@id"].as_str().unwrap())["cccev:specifiesEvidenceType"].as_array().unwrap();
            assert_eq!(types.len(), 1);
            types[0]["@id"].as_str().unwrap()
        })
        .collect();
    assert_eq!(specified, ["urn:paperwork:evidence-type:passport", "urn:paperwork:evidence-type:id_card"]);
    assert_eq!(req["cccev:hasConcept"].as_array().unwrap().len(), 3, "the facts both alternatives prove");
    // A plain document: one list of one type.
    assert_eq!(node("urn:paperwork:requirement:1.001:1")["cccev:hasEvidenceTypeList"].as_array().unwrap().len(), 1);
    let narrowed = node("urn:paperwork:requirement:3.001:2");
    assert_eq!(narrowed["cccev:hasConcept"], serde_json::json!([{ "@id": "urn:paperwork:information-concept:c.conviction" }]));

    let service = node("urn:paperwork:procedure:2.001");
    assert_eq!(service["dct:identifier"], "2.001");
    assert_eq!(service["cv:holdsRequirement"].as_array().unwrap().len(), 4);
    assert_eq!(service["cv:hasCompetentAuthority"][0]["@id"], "urn:paperwork:agency:monre", "merged only after as_of");
    assert_eq!(service["cv:isGroupedBy"][0]["@id"], "urn:paperwork:life-event:buying_land");
    assert_eq!(node("urn:paperwork:procedure:1.001")["cpsv:produces"][0]["@id"], "urn:paperwork:output:birth_cert");

    // Registers that hold every fact an evidence type proves supply it; a building one does not.
    let part_of = |doc: &str| -> Vec<String> {
        node(&format!("urn:paperwork:evidence-type:{doc}"))["dct:isPartOf"]
            .as_array()
            .map(|a| a.iter().map(|r| r["@id"].as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    assert_eq!(part_of("id_card"), ["urn:paperwork:dataset:pop"]);
    assert_eq!(part_of("marital_cert"), ["urn:paperwork:dataset:civil"]);
    assert!(part_of("land_cert").is_empty());
    assert!(part_of("criminal_record").is_empty(), "judicial lacks p.name");
    assert!(part_of("form_a").is_empty(), "a form is never looked up");
    let pop = node("urn:paperwork:dataset:pop");
    assert_eq!(pop["dct:hasPart"].as_array().unwrap().len(), 3, "birth_cert, id_card, passport");

    let concept = node("urn:paperwork:information-concept:p.name");
    assert_eq!(concept["dct:identifier"], "p.name");

    let (_, again, _) = run(&["-C", s(&engine()), "-q", "export", "--format", "cpsv-ap"]);
    assert_eq!(text, again, "deterministic");
}

#[test]
fn cpsv_ap_export_of_the_sample_names_in_both_languages() {
    let ws = loaded(&manifest());
    let doc = paperwork::interop::cpsv::cpsv_ap(&ws);
    let graph = doc["@graph"].as_array().unwrap();
    let services = graph.iter().filter(|n| n["@type"] == "cpsv:PublicService").count();
    assert_eq!(services, ws.procedures.len());
    let concept = graph.iter().find(|n| n["@type"] == "cccev:InformationConcept").unwrap();
    let langs: BTreeSet<&str> = concept["skos:prefLabel"].as_array().unwrap().iter().map(|l| l["@language"].as_str().unwrap()).collect();
    assert_eq!(langs, BTreeSet::from(["en", "vi"]));
}

#[test]
fn export_refuses_to_write_into_the_inputs() {
    let ws = rules_of(&engine());
    std::fs::create_dir_all(ws.path().join("procedures")).unwrap();
    std::fs::copy(engine().join("procedures/all.yaml"), ws.path().join("procedures/all.yaml")).unwrap();
    let inside = ws.path().join("procedures/catalog.jsonld");
    let (code, _, stderr) = run(&["-C", s(ws.path()), "-q", "export", "--format", "cpsv-ap", "--out", s(&inside)]);
    assert_eq!(code, 2);
    assert!(stderr.contains("inside the procedures folder"), "{stderr}");
    let outside = ws.path().join("out/catalog.jsonld");
    let (code, _, stderr) = run(&["-C", s(ws.path()), "-q", "export", "--format", "cpsv-ap", "--out", s(&outside)]);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str::<Value>(&std::fs::read_to_string(&outside).unwrap()).unwrap();
}

/// Exports `from`'s sheet, imports it into a workspace of `from`'s rules, and compares analyses.
fn round_trip(from: &Path) {
    let ws = rules_of(from);
    let sheet = ws.path().join("sheet.csv");
    let (code, _, stderr) = run(&["-C", s(from), "-q", "export", "--format", "csv", "--out", s(&sheet)]);
    assert_eq!(code, 0, "{stderr}");
    import_ok(ws.path(), &sheet, &[]);
    assert_eq!(analysis_json(ws.path()), analysis_json(from));
}

#[test]
fn importing_an_exported_sheet_gives_the_same_analysis() {
    round_trip(&engine());
}

#[test]
fn the_sample_survives_the_round_trip() {
    round_trip(&manifest());
}

#[test]
fn the_round_trip_also_works_through_a_workbook_with_a_byte_order_mark() {
    let ws = rules_of(&engine());
    let (code, text, _) = run(&["-C", s(&engine()), "-q", "export", "--format", "csv", "--excel"]);
    assert_eq!(code, 0);
    assert!(text.starts_with('\u{feff}'));
    let bom_sheet = ws.path().join("excel.csv");
    std::fs::write(&bom_sheet, &text).unwrap();
    let book_path = ws.path().join("sheet.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    write_sheet(&mut book, "Sheet1", (0, 0), &csv_rows(text.trim_start_matches('\u{feff}')));
    book.save(&book_path).unwrap();
    let expected = analysis_json(&engine());
    for sheet in [&bom_sheet, &book_path] {
        import_ok(ws.path(), sheet, &["--force"]);
        assert_eq!(analysis_json(ws.path()), expected, "{}", sheet.display());
    }
}

/// Text that a spreadsheet would run as a formula (`=HYPERLINK(…)`, `@SUM…`, `+1+cmd…`, a
/// leading tab) is written with a leading `'` in every CSV, so that it opens as text, and the
/// import takes the `'` off again: the round trip keeps the text as written.
#[test]
fn formulas_in_cells_are_neutralised_and_survive_the_round_trip() {
    let from = tempfile::tempdir().unwrap();
    for half in ["procedures", "rules"] {
        std::fs::create_dir_all(from.path().join(half)).unwrap();
        for e in std::fs::read_dir(engine().join(half)).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), from.path().join(half).join(e.file_name())).unwrap();
        }
    }
    let file = from.path().join("procedures/all.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replacen("name: Birth registration", "name: \"=HYPERLINK(\\\"http://x\\\", \\\"y\\\")\"", 1);
    let text = text.replacen("of: parent", "of: \"@SUM(1+1)\"", 1);
    // A text that starts with the mark itself, and one that only looks neutralised.
    let text = text.replacen("name: Passport", "name: \"'=not a formula\"", 1);
    let text = text.replacen("name: Land use right transfer", "name: \"'quoted\"", 1);
    assert!(text.contains("HYPERLINK") && text.contains("@SUM"), "the fixture changed: {text}");
    std::fs::write(&file, text).unwrap();
    for args in [&["export", "--format", "csv"][..], &["analyze", "--format", "csv"]] {
        let (code, out, stderr) = run(&[&["-C", s(from.path()), "-q"][..], args].concat());
        assert_eq!(code, 0, "{stderr}");
        assert!(out.contains("'=HYPERLINK(") && out.contains("'@SUM(1+1)"), "{out}");
        assert!(!out.contains(",=HYPERLINK") && !out.contains(",@SUM"), "{out}");
    }
    round_trip(from.path());
    assert_eq!(paperwork::report::text::spreadsheet_safe("-3"), "-3", "a number stays a number");
    assert_eq!(paperwork::report::text::spreadsheet_safe("\tx"), "'\tx");
    assert_eq!(paperwork::report::text::spreadsheet_unsafe("'+1+cmd"), "+1+cmd");
    assert_eq!(paperwork::report::text::spreadsheet_unsafe("'quoted"), "'quoted", "only a neutralised formula loses its quote");
    assert_eq!(paperwork::report::text::spreadsheet_safe("'=x"), "''=x");
    assert_eq!(paperwork::report::text::spreadsheet_unsafe("''=x"), "'=x");
    assert_eq!(paperwork::report::text::spreadsheet_unsafe(&paperwork::report::text::spreadsheet_safe("'quoted")), "'quoted");
}

/// A quote that opens a cell and is never closed would swallow every row after it: it is an
/// error at the line it opens on, and nothing is imported.
#[test]
fn an_unclosed_quote_is_an_error_where_it_opens() {
    let (_dir, path) = sheet_file(
        "s.csv",
        "procedure,agency,level,volume,document\n1.001,moj,commune,10,id_card\n\"1.002,moj,commune,10,id_card\n1.003,moj,commune,10,id_card\n",
    );
    let messages = import_messages(&path);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].starts_with("E042 3:0 a quoted cell opened on line 3 is never closed"), "{messages:?}");
}

/// A ministry's own sheet, headed in Vietnamese (one header decomposed, as some spreadsheets
/// save it), imports without renaming a column.
#[test]
fn vietnamese_headers_name_the_columns() {
    let (_dir, path) = sheet_file(
        "s.csv",
        "Mã thủ tục,Tên thủ tục,Cơ quan,Cấp thực hiện,Số hồ sơ,Te\u{302}n giấy tờ,Ghi chú\n1.001,Đăng ký,moj,Cấp xã,10,id_card,free notes\n",
    );
    // A column of notes is not imported, and needs no warning.
    assert_eq!(import_messages(&path), Vec::<String>::new());
    let rules = rules_of(&engine());
    let ws = loaded(rules.path());
    let imported = sheet::import(&path, "s.csv", &ImportOptions::default(), &ws, None).unwrap();
    let p = &imported.procedures[0];
    assert_eq!((p.id.as_str(), p.name.as_deref(), p.annual_volume), ("1.001", Some("Đăng ký"), Some(10)));
    assert_eq!(p.documents[0].documents, vec!["id_card"]);
}

/// A sheet headed with the keys of the procedures file (`annual_volume`, `when`, `share`, `id`)
/// was read as if those columns were absent: the volumes, conditions and shares vanished, exit 0.
#[test]
fn headers_named_as_the_procedures_file_names_the_fields_are_read() {
    let (_dir, path) = sheet_file(
        "s.csv",
        "id,agency,level,Annual Volume,document,When,case,Share\n\
         9.001,moj,commune,1000,form_a,if married,A,0.25\n\
         9.001,,,,id_card,,B,\n",
    );
    assert_eq!(import_messages(&path), Vec::<String>::new());
    let rules = rules_of(&engine());
    let ws = loaded(rules.path());
    let imported = sheet::import(&path, "s.csv", &ImportOptions::default(), &ws, None).unwrap();
    let p = &imported.procedures[0];
    assert_eq!((p.id.as_str(), p.annual_volume), ("9.001", Some(1000)));
    let cases: Vec<(&str, Option<f64>, Option<&str>)> =
        p.cases.iter().map(|k| (k.name.as_str(), k.share, k.documents[0].when.as_deref())).collect();
    assert_eq!(cases, [("A", Some(0.25), Some("if married")), ("B", None, None)]);
    let (_dir, path) = sheet_file("s.csv", "procedure,agency,level,annual_volume,document\n9.001,moj,commune,\"1,500\",form_a\n");
    let imported = sheet::import(&path, "s.csv", &ImportOptions::default(), &ws, None).unwrap();
    assert_eq!(imported.procedures[0].annual_volume, Some(1500));

    // Two headers for one column are an error, named as such.
    let (_dir, path) = sheet_file("s.csv", "procedure,agency,level,volume,document,annual volume\n9.001,moj,commune,10,form_a,20\n");
    assert_eq!(import_messages(&path), ["E043 1:6 column `annual volume` is the `volume` column again, already headed `volume` (1:4)"]);
    // A column renamed by `--column` answers to its new header only.
    let columns = Columns::with_renames(&["volume=Số lượng".to_string()]).unwrap();
    let (_dir, path) = sheet_file("s.csv", "procedure,agency,level,annual_volume,document\n9.001,moj,commune,10,form_a\n");
    let got = import_lib(&ws, &path, &ImportOptions { columns, sheet: None });
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].starts_with("W109 sheet:1:4 "), "{got:?}");
}

/// Every header that names no column is warned about with its column letter, and so is every
/// filled cell under no header (a ragged CSV row, a workbook row longer than its header):
/// nothing the sheet holds is dropped without a word. The import still writes (exit 0).
#[test]
fn unknown_columns_and_cells_under_no_header_are_warned_about() {
    let (_dir, path) = sheet_file(
        "s.csv",
        "procedure,agency,level,document,foo,,notes\n\
         9.001,moj,commune,form_a,x,,n\n\
         9.001,moj,commune,id_card,,gap,,extra,\"a, b\"\n\
         9.001,moj,commune,photo,,,,,\n",
    );
    assert_eq!(
        import_messages(&path),
        [
            "W109 1:5 column E `foo` is not a column of the component sheet and was ignored",
            "W109 3:6 row 3 has cells in columns with no header; ignored: F `gap`, H `extra`, I `a, b`",
        ]
    );
    let ws = rules_of(&engine());
    let out = ws.path().join("procedures/imported.yaml");
    let (code, _, stderr) = run(&["-C", s(ws.path()), "import", s(&path), "--out", s(&out)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("warning[W109]: column E `foo` is not a column of the component sheet and was ignored"), "{stderr}");
    assert!(stderr.contains("wrote 1 procedure (3 components"), "{stderr}");

    let (_dir, path) = sheet_file("s.csv", "procedure,agency,level,document\n9.001,moj,commune,form_a,1200,x\n");
    assert_eq!(import_messages(&path), ["W109 2:5 row 2 has more cells than the header's 4; ignored: E `1200`, F `x`"]);

    let dir = tempfile::tempdir().unwrap();
    let book_path = dir.path().join("b.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    write_sheet(&mut book, "S", (0, 0), &csv_rows("procedure,agency,level,document,,\n9.001,moj,commune,form_a,,late\n"));
    book.save(&book_path).unwrap();
    assert_eq!(import_messages(&book_path), ["W109 2:6 row 2 has more cells than the header's 4; ignored: F `late`"]);
}

/// Shares of one procedure's cases that add up to more than 1 were written (exit 0) for `check`
/// to refuse afterwards: the import refuses them itself, at the share that goes over.
#[test]
fn case_shares_adding_up_to_more_than_one_are_refused_before_writing() {
    let (_dir, sheet) = sheet_file(
        "s.csv",
        "procedure,agency,level,document,case,case_share\n\
         9.001,moj,commune,form_a,A,0.7\n\
         9.001,,,id_card,B,\n\
         9.001,,,photo,C,60%\n\
         9.002,moj,commune,form_a,A,0.5\n\
         9.002,,,id_card,B,0.5\n",
    );
    assert_eq!(import_messages(&sheet), ["E042 4:6 the case shares of procedure `9.001` add up to 1.3, more than 1 (2:6)"]);
    let ws = rules_of(&engine());
    let out = ws.path().join("procedures/imported.yaml");
    let (code, _, stderr) = run(&["-C", s(ws.path()), "import", s(&sheet), "--out", s(&out)]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("s.csv:4:6") && stderr.contains("nothing was written"), "{stderr}");
    assert!(!out.exists());
}

/// A workbook of a few hundred kilobytes whose one cell holds 600 MB of text would be held in
/// memory whole by the reader: it is refused, with its size, before it is expanded.
#[test]
fn a_workbook_that_expands_beyond_the_cap_is_refused() {
    let ws = rules_of(&engine());
    let book_path = ws.path().join("bomb.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (col, header) in ["procedure", "agency", "level", "document"].iter().enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    // Cells hold at most 32,767 characters: many distinct long strings fill the shared strings.
    let long = "x".repeat(32_000);
    for row in 1..20_000u32 {
        sheet.write_string(row, 3, format!("{row}{long}")).unwrap();
    }
    book.save(&book_path).unwrap();
    let size = std::fs::metadata(&book_path).unwrap().len();
    assert!(size < 64 << 20, "the workbook is small on disk: {size} bytes");
    let out = ws.path().join("procedures/imported.yaml");
    let (code, _, stderr) = run(&["-C", s(ws.path()), "import", s(&book_path), "--out", s(&out)]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("expands to more than") && stderr.contains("MiB"), "{stderr}");
    assert!(!out.exists());
}
