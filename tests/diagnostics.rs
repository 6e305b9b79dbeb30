//! Every diagnostic class: a fixture folder with the expected codes and locations, plus
//! hostile inputs generated on the fly (too big to commit, or made of links).

use paperwork::diag::{Code, Severity};
use paperwork::load::{LoadOptions, load};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diagnostics")
}

fn located(root: &Path) -> Vec<String> {
    load(&LoadOptions::new(root))
        .diagnostics
        .iter()
        .map(|d| {
            let l = d.location.clone().unwrap_or_else(|| paperwork::diag::Location::file(""));
            format!("{} {}:{}:{}", d.code.as_str(), l.file, l.line, l.column)
        })
        .collect()
}

#[test]
fn every_fixture_yields_exactly_its_expected_diagnostics() {
    let mut checked = 0;
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let dir = entry.unwrap().path();
        let expected: Vec<String> = std::fs::read_to_string(dir.join("expected")).unwrap().lines().map(str::to_string).collect();
        assert_eq!(located(&dir), expected, "fixture {}", dir.display());
        checked += 1;
    }
    assert!(checked >= 35, "only {checked} fixtures found");
}

#[test]
fn fixtures_cover_every_diagnostic_code_but_the_generated_ones() {
    let mut seen = BTreeSet::new();
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        for line in std::fs::read_to_string(entry.unwrap().path().join("expected")).unwrap().lines() {
            seen.insert(line.split(' ').next().unwrap().to_string());
        }
    }
    // These need files that cannot be committed (huge, links, missing folders) and are tested below;
    // the import codes (E040–E043, W109) are about sheets, not workspaces, and are tested in tests/interop.rs.
    let generated = ["E001", "E009", "E010", "E030", "W108", "W109", "E040", "E041", "E042", "E043"];
    for code in Code::ALL {
        let c = code.as_str();
        assert!(seen.contains(c) || generated.contains(&c), "no fixture for {c} ({})", code.name());
    }
}

#[test]
fn diagnostic_codes_and_names_are_unique_and_well_formed() {
    let codes: BTreeSet<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    let names: BTreeSet<&str> = Code::ALL.iter().map(|c| c.name()).collect();
    assert_eq!(codes.len(), Code::ALL.len());
    assert_eq!(names.len(), Code::ALL.len());
    for c in Code::ALL {
        let prefix = if c.severity() == Severity::Error { 'E' } else { 'W' };
        assert!(c.as_str().starts_with(prefix) && c.as_str().len() == 4, "{}", c.as_str());
        assert!(!c.summary().is_empty());
    }
}

#[test]
fn docs_list_every_code() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md")).unwrap();
    for c in Code::ALL {
        assert!(doc.contains(&format!("`{}`", c.as_str())), "docs/diagnostics.md lacks {}", c.as_str());
    }
}

fn workspace_with(procs: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("procedures")).unwrap();
    std::fs::create_dir_all(dir.path().join("rules")).unwrap();
    std::fs::write(dir.path().join("rules/r.yaml"), "agencies:\n  - { id: moj }\n").unwrap();
    for (name, text) in procs {
        std::fs::write(dir.path().join("procedures").join(name), text).unwrap();
    }
    dir
}

fn codes_within(root: &Path, limit: Duration) -> Vec<String> {
    let start = Instant::now();
    let codes = located(root);
    assert!(start.elapsed() < limit, "took {:?}", start.elapsed());
    codes
}

#[test]
fn missing_procedures_folder_is_located() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("rules")).unwrap();
    assert_eq!(located(dir.path()), vec!["E010 procedures:0:0"]);
}

#[test]
fn a_200_mb_file_is_refused_without_being_read() {
    let dir = workspace_with(&[]);
    let f = std::fs::File::create(dir.path().join("procedures/huge.yaml")).unwrap();
    f.set_len(200 << 20).unwrap();
    assert_eq!(codes_within(dir.path(), Duration::from_secs(5)), vec!["E009 procedures/huge.yaml:0:0"]);
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_reported() {
    let dir = workspace_with(&[]);
    std::os::unix::fs::symlink(dir.path().join("procedures"), dir.path().join("procedures/again")).unwrap();
    let codes = codes_within(dir.path(), Duration::from_secs(5));
    assert_eq!(codes, vec!["E001 procedures/again:0:0"]);
}

#[test]
fn a_long_string_expanded_thousands_of_times_is_stopped() {
    let mut text = format!("procedures:\n  - id: &s \"{}\"\n    name: *s\n    agency: moj\n    level: commune\n", "x".repeat(100_000));
    text.push_str("    life_events:\n");
    for _ in 0..5_000 {
        text.push_str("      - *s\n");
    }
    let dir = workspace_with(&[("bomb.yaml", text.as_bytes())]);
    let codes = codes_within(dir.path(), Duration::from_secs(10));
    assert_eq!(codes.len(), 1);
    assert!(codes[0].starts_with("E007 procedures/bomb.yaml:"), "{codes:?}");
}

#[test]
fn nesting_100000_deep_is_stopped() {
    let text = format!("procedures: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let dir = workspace_with(&[("deep.yaml", text.as_bytes())]);
    let codes = codes_within(dir.path(), Duration::from_secs(10));
    assert_eq!(codes.len(), 1);
    assert!(codes[0].starts_with("E007 procedures/deep.yaml:1:"), "{codes:?}");
}

#[test]
fn an_id_with_spaces_is_refused() {
    let dir = workspace_with(&[("p.yaml", b"procedures:\n  - { id: \" x\", agency: moj, level: commune, annual_volume: 1 }\n")]);
    assert_eq!(located(dir.path()), vec!["E030 procedures/p.yaml:2:11"]);
}

/// Procedures are resolved file by file before their ids are registered: what a duplicate or
/// a procedure with a refused id names must not be reported, only that it is refused.
#[test]
fn a_refused_procedure_is_dropped_with_the_findings_about_its_references() {
    let dir = workspace_with(&[
        (
            "a.yaml",
            b"procedures:\n  - { id: x, agency: moj, level: commune, annual_volume: 1 }\n  - { id: \" y\", agency: nobody, level: commune, annual_volume: 1, documents: [{ document: nothing }] }\n",
        ),
        ("b.yaml", b"procedures:\n  - { id: x, agency: nobody, level: commune, documents: [{ document: nothing }] }\n"),
        // A third definition, and a refused id again: each is reported where it stands.
        ("c.yaml", b"procedures:\n  - { id: \" y\", agency: moj, level: commune, annual_volume: 1 }\n  - { id: x, agency: moj, level: commune }\n"),
    ]);
    assert_eq!(
        located(dir.path()),
        vec!["E030 procedures/a.yaml:3:11", "E020 procedures/b.yaml:2:11", "E030 procedures/c.yaml:2:11", "E020 procedures/c.yaml:3:11"]
    );
}

#[test]
fn an_empty_catalog_is_warned_about() {
    let dir = workspace_with(&[]);
    assert_eq!(located(dir.path()), vec!["W108 :0:0"]);
}

#[test]
fn every_error_of_a_run_is_reported_not_only_the_first() {
    let dir = workspace_with(&[
        ("a.yaml", b"procedures:\n  - { id: a, agency: mj, level: commune, annual_volume: 1 }\n"),
        ("b.yaml", b"procedures:\n  - { id: b, agency: moj, level: county, annual_volume: 1 }\n"),
        ("c.yaml", b"procedures:\n  - { id: c, agency: moj, level: commune, annual_volume: -1 }\n"),
    ]);
    let codes: Vec<String> = located(dir.path()).into_iter().map(|c| c[..4].to_string()).collect();
    assert_eq!(codes, vec!["E021", "E004", "E023"]);
}

#[test]
fn did_you_mean_names_the_closest_id() {
    let dir = fixtures().join("unknown_document");
    let loaded = load(&LoadOptions::new(&dir));
    let d = loaded.diagnostics.iter().find(|d| d.code == Code::UnknownReference).unwrap();
    assert_eq!(d.help.as_deref(), Some("did you mean `id_card`?"));
}

#[test]
fn the_parse_cache_reparses_only_what_changed_and_ignores_corruption() {
    let src = fixtures().join("ok");
    let dir = tempfile::tempdir().unwrap();
    for sub in ["procedures", "rules"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        for e in std::fs::read_dir(src.join(sub)).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), dir.path().join(sub).join(e.file_name())).unwrap();
        }
    }
    std::fs::write(
        dir.path().join("procedures/q.yaml"),
        "procedures:\n  - { id: \"2\", agency: mps, level: central, annual_volume: 5, documents: [{ document: id_card }] }\n",
    )
    .unwrap();
    let mut opts = LoadOptions::new(dir.path());
    opts.cache_dir = Some(dir.path().join(".paperwork-cache"));
    opts.prune_cache = true;
    let cold = load(&opts);
    assert_eq!((cold.parsed, cold.cached), (3, 0));
    let warm = load(&opts);
    assert_eq!((warm.parsed, warm.cached), (0, 3));
    assert_eq!(format!("{:?}", warm.workspace.procedures), format!("{:?}", cold.workspace.procedures));
    assert_eq!(warm.diagnostics, cold.diagnostics);

    // Edit one file: only it is parsed again, and the stale entry is pruned.
    std::fs::write(
        dir.path().join("procedures/q.yaml"),
        "procedures:\n  - { id: \"2\", agency: mps, level: province, annual_volume: 5, documents: [{ document: id_card }] }\n",
    )
    .unwrap();
    let edited = load(&opts);
    assert_eq!((edited.parsed, edited.cached), (1, 2));
    assert_eq!(std::fs::read_dir(dir.path().join(".paperwork-cache")).unwrap().count(), 3);

    // Corrupt every entry: each is a miss, parsed afresh, and the result is unchanged.
    for e in std::fs::read_dir(dir.path().join(".paperwork-cache")).unwrap() {
        let p = e.unwrap().path();
        let mut bytes = std::fs::read(&p).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0xFF;
        std::fs::write(&p, bytes).unwrap();
    }
    let repaired = load(&opts);
    assert_eq!((repaired.parsed, repaired.cached), (3, 0));
    assert_eq!(format!("{:?}", repaired.workspace.procedures), format!("{:?}", edited.workspace.procedures));
    // Locations survive the cache: an error in a cached file still points at its line.
    std::fs::write(
        dir.path().join("procedures/r.yaml"),
        "procedures:\n  - { id: \"3\", agency: mps, level: central, annual_volume: 5, documents: [{ document: id_crd }] }\n",
    )
    .unwrap();
    let first = located_with(&opts);
    assert_eq!(first, located_with(&opts));
    assert_eq!(first, vec!["E021 procedures/r.yaml:2:87"]);
}

fn located_with(opts: &LoadOptions) -> Vec<String> {
    load(opts)
        .diagnostics
        .iter()
        .map(|d| {
            let l = d.location.clone().unwrap();
            format!("{} {}:{}:{}", d.code.as_str(), l.file, l.line, l.column)
        })
        .collect()
}

/// A `.yaml` that is a pipe or a link to a device is a located error, not skipped silently, and
/// is never opened (reading a pipe waits for a writer, /dev/zero never ends).
#[test]
fn special_files_named_yaml_are_located_errors() {
    let dir =
        workspace_with(&[("p.yaml", b"procedures:\n  - { id: '1', agency: moj, level: commune, annual_volume: 1, documents: [] }\n")]);
    let procs = dir.path().join("procedures");
    std::os::unix::fs::symlink("/dev/zero", procs.join("zero.yaml")).unwrap();
    let fifo = std::process::Command::new("mkfifo").arg(procs.join("pipe.yaml")).status();
    let codes = codes_within(dir.path(), Duration::from_secs(10));
    assert!(codes.contains(&"E001 procedures/zero.yaml:0:0".to_string()), "{codes:?}");
    if fifo.is_ok_and(|s| s.success()) {
        assert!(codes.contains(&"E001 procedures/pipe.yaml:0:0".to_string()), "{codes:?}");
    }
}

/// The cap is on what is read, not on the size the file system reports: a file whose size says
/// 0 but that holds more (as files under /proc do) is refused once the cap is reached.
#[test]
fn the_file_cap_holds_against_what_is_read() {
    let dir = workspace_with(&[]);
    std::os::unix::fs::symlink("/proc/self/status", dir.path().join("procedures/status.yaml")).unwrap();
    assert_eq!(std::fs::metadata(dir.path().join("procedures/status.yaml")).unwrap().len(), 0, "a file that says it is empty");
    let mut opts = LoadOptions::new(dir.path());
    opts.max_file_bytes = 64;
    let codes = located_with(&opts);
    assert!(codes.contains(&"E009 procedures/status.yaml:0:0".to_string()), "{codes:?}");
}

/// An unknown procedure is to be defined where procedures live, not under `rules/`.
#[test]
fn the_hint_for_an_unknown_procedure_names_the_procedures_folder() {
    let dir =
        workspace_with(&[("p.yaml", b"procedures:\n  - { id: '1.001', agency: moj, level: commune, annual_volume: 1, documents: [] }\n")]);
    let rules = "agencies:\n  - { id: moj }\nfacts:\n  - { id: f }\ndatabases:\n  - { id: db, status: operational, provides: [f], serves: ['procedure:zzz-unrelated'] }\n";
    std::fs::write(dir.path().join("rules/r.yaml"), rules).unwrap();
    let loaded = load(&LoadOptions::new(dir.path()));
    let unknown = loaded.diagnostics.iter().find(|d| d.message.contains("unknown procedure")).expect("an unknown procedure");
    assert_eq!(unknown.help.as_deref(), Some("define procedure `zzz-unrelated` under `procedures/`, or fix the name"));
}

/// A cache entry belongs to the key it was written for: one copied over another file's entry
/// is a miss, never that other file's content.
#[test]
fn a_cache_entry_under_another_files_key_is_not_trusted() {
    let dir = workspace_with(&[
        ("a.yaml", b"procedures:\n  - { id: 'a', agency: moj, level: commune, annual_volume: 1, documents: [] }\n"),
        ("b.yaml", b"procedures:\n  - { id: 'b', agency: moj, level: province, annual_volume: 2, documents: [] }\n"),
    ]);
    let cache = dir.path().join(".paperwork-cache");
    let mut opts = LoadOptions::new(dir.path());
    opts.cache_dir = Some(cache.clone());
    let cold = load(&opts);
    let ids = |l: &paperwork::load::Loaded| l.workspace.procedures.iter().map(|p| p.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&cold), ["a", "b"]);
    let key = |file: &str| {
        paperwork::load::cache::Cache::key("procedures", &std::fs::read_to_string(dir.path().join("procedures").join(file)).unwrap())
    };
    std::fs::copy(cache.join(format!("{}.bin", key("a.yaml"))), cache.join(format!("{}.bin", key("b.yaml")))).unwrap();
    let warm = load(&opts);
    assert_eq!(ids(&warm), ["a", "b"], "b.yaml is parsed again, not read as a.yaml");
    assert_eq!(warm.cached, 2, "the rules and a.yaml come from the cache, b.yaml does not");
}

/// A cache folder can come with a repository: an entry that is a link to an endless device or
/// a pipe is a miss, read no further than its kind, never a run that hangs or fills memory.
#[test]
fn a_cache_entry_that_is_not_a_regular_file_is_not_read() {
    let dir =
        workspace_with(&[("a.yaml", b"procedures:\n  - { id: 'a', agency: moj, level: commune, annual_volume: 1, documents: [] }\n")]);
    let cache = dir.path().join(".paperwork-cache");
    let mut opts = LoadOptions::new(dir.path());
    opts.cache_dir = Some(cache.clone());
    load(&opts);
    let entries: Vec<_> = std::fs::read_dir(&cache).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(entries.len(), 2, "the rules and a.yaml");
    std::fs::remove_file(&entries[0]).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &entries[0]).unwrap();
    std::fs::remove_file(&entries[1]).unwrap();
    assert!(std::process::Command::new("mkfifo").arg(&entries[1]).status().unwrap().success());
    let (tx, rx) = std::sync::mpsc::channel();
    let o = opts.clone();
    std::thread::spawn(move || tx.send(load(&o)).unwrap());
    let warm = rx.recv_timeout(Duration::from_secs(60)).expect("the load finishes");
    assert!(!warm.has_errors(), "{:?}", warm.diagnostics);
    assert_eq!(warm.cached, 0, "both entries are parsed again");
    assert_eq!(warm.workspace.procedures.len(), 1);
}

/// Pruning removes only what the cache wrote: not a file of another name, not a file named like
/// an entry without the cache's header, and nothing at all through a cache folder that is a link.
#[test]
fn pruning_never_deletes_what_the_cache_did_not_write() {
    let dir =
        workspace_with(&[("a.yaml", b"procedures:\n  - { id: 'a', agency: moj, level: commune, annual_volume: 1, documents: [] }\n")]);
    let elsewhere = tempfile::tempdir().unwrap();
    let foreign = ["notes.bin", &format!("{}.bin", "0".repeat(64))];
    for name in foreign {
        std::fs::write(elsewhere.path().join(name), b"not the cache's").unwrap();
    }
    let stale = format!("{}.bin", "1".repeat(64));
    std::fs::write(elsewhere.path().join(&stale), b"PWCACHE3 a stale entry").unwrap();
    // A cache folder of its own: foreign files stay, a stale entry goes.
    let mut opts = LoadOptions::new(dir.path());
    opts.cache_dir = Some(elsewhere.path().to_path_buf());
    opts.prune_cache = true;
    load(&opts);
    for name in foreign {
        assert!(elsewhere.path().join(name).exists(), "{name} was deleted");
    }
    assert!(!elsewhere.path().join(&stale).exists(), "a stale entry of the cache is pruned");
    // Through a link: nothing is pruned, not even a stale entry.
    std::fs::write(elsewhere.path().join(&stale), b"PWCACHE3 a stale entry").unwrap();
    let link = dir.path().join(".paperwork-cache");
    std::os::unix::fs::symlink(elsewhere.path(), &link).unwrap();
    opts.cache_dir = Some(link);
    load(&opts);
    assert!(elsewhere.path().join(&stale).exists(), "pruned through a link");
}

/// Among thousands of ids the did-you-mean is narrowed by an index: it must still name the id
/// a full comparison names, for typos anywhere in the name.
#[test]
fn did_you_mean_among_thousands_of_ids_names_the_closest() {
    use paperwork::workspace::{DocId, Interner};
    let mut ids: Interner<DocId> = Interner::default();
    let words = ["birth", "marriage", "death", "land", "vehicle", "health", "school", "tax"];
    for i in 0..12_000 {
        ids.intern(&format!("{}_certificate_{i:05}", words[i % words.len()]));
    }
    for wrong in [
        "birth_certficate_00016",
        "marriage_certificate_0009",
        "deathh_certificate_00010",
        "lnad_certificate_00011",
        "vehicle_certificate_0x012",
    ] {
        let full = paperwork::diag::did_you_mean(wrong, ids.names());
        assert!(full.is_some(), "{wrong}");
        assert_eq!(ids.did_you_mean(wrong), full, "{wrong}");
    }
    assert_eq!(ids.did_you_mean("zzzzzz"), None);
}

/// Every unknown key of a file is an error at its place with its likely spelling, so that one
/// run shows every misspelt key; a required key written wrongly is not also reported missing.
#[test]
fn every_unknown_key_of_a_file_is_named_at_once() {
    let dir = workspace_with(&[(
        "p.yaml",
        b"procedures:\n  - id: '1.001'\n    agency: moj\n    level: commune\n    anual_volume: 10\n    documents:\n      - document: id_card\n        cpy: original\n  - id: '1.002'\n    agency: moj\n    level: commune\n    documnets: []\n",
    )]);
    let loaded = load(&LoadOptions::new(dir.path()));
    let found: Vec<(Code, u32, &str)> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code != Code::UnknownReference && d.is_error())
        .map(|d| (d.code, d.location.as_ref().map_or(0, |l| l.line), d.help.as_deref().unwrap_or("")))
        .collect();
    let hint = |k: &str| format!("did you mean `{k}`? fix the key's spelling; the keys this entry accepts are listed above");
    assert_eq!(
        found,
        vec![
            (Code::UnknownKey, 5, hint("annual_volume").as_str()),
            (Code::UnknownKey, 8, hint("copy").as_str()),
            (Code::UnknownKey, 12, hint("documents").as_str()),
        ],
        "{:?}",
        loaded.diagnostics
    );
}

/// A misspelt key does not hide the file's other errors: the file is read without its unknown
/// keys, and its values and references are checked in the same run.
#[test]
fn an_unknown_key_does_not_hide_the_files_other_errors() {
    let dir = workspace_with(&[(
        "p.yaml",
        b"procedures:\n  - id: '1.001'\n    agency: moj\n    level: commune\n    anual_volume: 10\n    documents:\n      - document: id_crad\n  - id: '1.002'\n    agency: mjo\n    level: commune\n    documents: [{ document: id_card }]\n  - { id: '1.003', agency: moj, level: commune, anual: 5, documents: [{ document: id_crd, cpy: original }] }\n  - { id: '1.004', agency: mjo, level: commune, documents: [], extra: { a: [1, 2], b: 'x, }' } }\n",
    )]);
    std::fs::write(
        dir.path().join("rules/r.yaml"),
        "facts:\n  - { id: identity }\ndocuments:\n  - { id: id_card, proves: [identity] }\nagencies:\n  - { id: moj }\n",
    )
    .unwrap();
    let loaded = load(&LoadOptions::new(dir.path()));
    let found: Vec<(Code, u32)> =
        loaded.diagnostics.iter().filter(|d| d.is_error()).map(|d| (d.code, d.location.as_ref().map_or(0, |l| l.line))).collect();
    assert!(found.contains(&(Code::UnknownKey, 5)), "{found:?}");
    assert!(found.contains(&(Code::UnknownReference, 7)), "the document typo below the misspelt key: {found:?}");
    assert!(found.contains(&(Code::UnknownReference, 9)), "the agency typo in the next procedure: {found:?}");
    // In flow style too, the last entry of a mapping and one holding brackets and quotes.
    let on_line = |n: u32| found.iter().filter(|(_, l)| *l == n).map(|(c, _)| *c).collect::<Vec<_>>();
    assert_eq!(on_line(12), [Code::UnknownKey, Code::UnknownReference, Code::UnknownKey]);
    assert_eq!(on_line(13), [Code::UnknownReference, Code::UnknownKey]);
    assert_eq!(found.len(), 8, "{:?}", loaded.diagnostics);
}

/// On a long line (an imported record's names on one line), the terminal shows the place as
/// recorded and underlines the wrong value, not a place cut at the 400th character.
#[test]
fn a_diagnostic_far_along_a_long_line_shows_its_place() {
    let name = "Bản sao giấy tờ; ".repeat(40);
    let dir = workspace_with(&[]);
    let rules = format!(
        "facts:\n  - {{ id: f }}\ndocuments:\n  - {{ id: d, name: \"{name}\", kind: unknwn, proves: [f] }}\nagencies:\n  - {{ id: moj }}\n"
    );
    std::fs::write(dir.path().join("rules/r.yaml"), &rules).unwrap();
    let loaded = load(&LoadOptions::new(dir.path()));
    let d = loaded.diagnostics.iter().find(|d| d.message.contains("unknwn")).expect("the bad kind");
    let line = rules.lines().nth(3).unwrap();
    let column = line[..line.find("unknwn").unwrap()].chars().count() + 1;
    assert!(column > 400, "the value is past the 400th character: {column}");
    assert_eq!(d.location.as_ref().map(|l| l.column as usize), Some(column));
    let shown = paperwork::diag::render_terminal(&loaded.diagnostics, &loaded.sources, false);
    assert!(shown.contains(&format!("rules/r.yaml:4:{column}")), "{shown}");
    let lines: Vec<&str> = shown.lines().collect();
    let at = lines.iter().position(|l| l.contains("kind: unknwn")).expect("the snippet");
    // The caret line is ASCII; the snippet's columns are counted in characters of its width.
    let caret = lines[at + 1].find('^').expect("a caret");
    let value = lines[at].find("unknwn").unwrap();
    assert_eq!(unicode_width::UnicodeWidthStr::width(&lines[at][..value]), caret, "{shown}");
}

/// A procedure that does not read (a wrong value, a missing key) is reported and left out, and
/// the file's other procedures are still read and checked: one bad entry does not hide the next.
#[test]
fn a_procedure_that_does_not_read_does_not_hide_the_others() {
    let dir = workspace_with(&[(
        "p.yaml",
        b"procedures:\n  - id: p1\n    agency: moj\n    level: comune\n    documents: []\n  - id: p2\n    agency: nosuch\n    level: commune\n    documents: []\n  - id: p3\n    agency: moj\n    documents: []\n  - id: p4\n    agency: moj\n    level: commune\n    annual_volume: many\n    documents: []\n  - id: p5\n    agency: moj\n    level: commune\n    documents: []\n",
    )]);
    let loaded = load(&LoadOptions::new(dir.path()));
    let found: Vec<(Code, u32)> =
        loaded.diagnostics.iter().filter(|d| d.is_error()).map(|d| (d.code, d.location.as_ref().map_or(0, |l| l.line))).collect();
    assert_eq!(
        found,
        [(Code::WrongType, 4), (Code::UnknownReference, 7), (Code::MissingKey, 12), (Code::WrongType, 16)],
        "{:?}",
        loaded.diagnostics
    );
    let ids: Vec<&str> = loaded.workspace.procedures.iter().map(|p| p.id.as_str()).collect();
    // p2 reads but names an unknown agency, which keeps it out as ever.
    assert_eq!(ids, ["p5"], "the procedures that read and check are in the workspace");
}

/// A misspelt value of a list of values is answered with its likely spelling.
#[test]
fn a_misspelt_value_gets_its_likely_spelling() {
    let dir = workspace_with(&[(
        "p.yaml",
        b"procedures:\n  - { id: a, agency: moj, level: commune, documents: [{ document: d, copy: orignal }] }\n",
    )]);
    let loaded = load(&LoadOptions::new(dir.path()));
    let d = loaded.diagnostics.iter().find(|d| d.code == Code::WrongType).expect("the bad copy kind");
    assert_eq!(d.help.as_deref(), Some("did you mean `original`? use one of the values listed above"));
}

/// A date is YYYY-MM-DD in a year from 1900 to 2200, in the files and on the command line: a
/// year outside is a typo that would put phases and deadlines centuries away.
#[test]
fn dates_are_in_a_plausible_range() {
    assert_eq!(paperwork::load::date("2025-12-31"), chrono::NaiveDate::from_ymd_opt(2025, 12, 31));
    for wrong in ["+10000-01-01", "0000-01-01", "1899-12-31", "2201-01-01", "2025-1-1", "2025-02-30"] {
        assert_eq!(paperwork::load::date(wrong), None, "{wrong}");
    }
    let dir = workspace_with(&[]);
    std::fs::write(dir.path().join("rules/r.yaml"), "agencies:\n  - { id: moj }\npolicy:\n  as_of: 0000-01-01\n").unwrap();
    let loaded = load(&LoadOptions::new(dir.path()));
    assert!(loaded.diagnostics.iter().any(|d| d.code == Code::InvalidDate), "{:?}", loaded.diagnostics);
}

/// An id holding a line break or an escape is refused where it is written.
#[test]
fn an_id_with_a_control_character_is_refused() {
    let dir = workspace_with(&[("p.yaml", b"procedures:\n  - { id: \"9.000\\n005\", agency: moj, level: commune, documents: [] }\n  - { id: \"x\\e[31m\", agency: moj, level: commune, documents: [] }\n")]);
    let loaded = load(&LoadOptions::new(dir.path()));
    let refused: Vec<u32> =
        loaded.diagnostics.iter().filter(|d| d.code == Code::EmptyId).map(|d| d.location.as_ref().map_or(0, |l| l.line)).collect();
    assert_eq!(refused, [2, 3], "{:?}", loaded.diagnostics);
    assert!(loaded.workspace.procedures.is_empty());
}
