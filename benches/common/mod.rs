//! Deterministic synthetic workspaces: realistic catalogs of any size with matching rules.
//!
//! Shared by `examples/synth.rs`, the benchmarks and the fuzz crate's property tests (each
//! includes this file with `#[path]`), so there is one generator. The same seed gives the same
//! bytes. Procedure `i` depends only on the seed and `i` (not on the file count or the task
//! count), and task `i` only on the seed and `i`, so a workspace with 0 tasks and one with
//! 1,000 tasks share their catalog and data landscape: benchmarks compare like with like.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Config {
    /// Number of procedures.
    pub procedures: usize,
    /// Number of procedure files (at least 1).
    pub files: usize,
    /// Number of roadmap tasks.
    pub tasks: usize,
    /// PRNG seed.
    pub seed: u64,
}

/// A generated workspace, held in memory: relative path → file text.
#[derive(Debug, Clone)]
pub struct Synth {
    /// Files in path order, paths relative to the workspace root with `/` separators.
    pub files: Vec<(String, String)>,
    /// Counts of what was generated.
    pub summary: Summary,
}

/// Counts of a generated workspace.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Facts.
    pub facts: usize,
    /// Document types (evidence and forms).
    pub documents: usize,
    /// Forms among them.
    pub forms: usize,
    /// Locked documents among them.
    pub locked: usize,
    /// Databases.
    pub databases: usize,
    /// Agencies.
    pub agencies: usize,
    /// Agencies merged into another.
    pub merged_agencies: usize,
    /// Tasks.
    pub tasks: usize,
    /// Procedures.
    pub procedures: usize,
    /// Components over all procedures.
    pub components: usize,
    /// Procedure files.
    pub procedure_files: usize,
    /// Bytes over all files.
    pub bytes: usize,
}

impl Synth {
    /// Writes the files below `root` (creating folders).
    pub fn write(&self, root: &Path) -> std::io::Result<()> {
        for (rel, text) in &self.files {
            let path = root.join(rel);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&path, text)?;
        }
        Ok(())
    }

    /// The absolute paths the files would have below `root`.
    pub fn paths(&self, root: &Path) -> Vec<PathBuf> {
        self.files.iter().map(|(rel, _)| root.join(rel)).collect()
    }
}

/// SplitMix64: tiny, fast, good enough for test data, and identical on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for one independent stream of `seed`.
    pub fn new(seed: u64, stream: u64) -> Self {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        r.next_u64();
        r
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.unit();
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// `k` distinct elements of `items` (fewer if it is shorter), in random order.
    pub fn sample<T: Clone>(&mut self, items: &[T], k: usize) -> Vec<T> {
        let mut idx: Vec<usize> = (0..items.len()).collect();
        let k = k.min(items.len());
        for i in 0..k {
            let j = i + self.below(idx.len() - i);
            idx.swap(i, j);
        }
        idx[..k].iter().map(|&i| items[i].clone()).collect()
    }
}

const AS_OF: &str = "2025-02-13";
/// `AS_OF` as months since year 0 (0-based month), for due dates.
const AS_OF_MONTH: i64 = 2025 * 12 + 1;

/// Fact subjects and their attributes: `subject.attribute` ids.
const SUBJECTS: &[(&str, &str, &[&str])] = &[
    (
        "person",
        "công dân",
        &[
            "personal_id",
            "full_name",
            "date_of_birth",
            "sex",
            "place_of_birth",
            "nationality",
            "ethnicity",
            "religion",
            "permanent_address",
            "temporary_address",
            "photo",
            "parents",
            "marital_status",
            "spouse",
            "blood_type",
            "phone",
            "email",
            "occupation",
            "education_level",
            "passport_no",
            "tax_code",
            "insurance_no",
            "death_date",
            "hometown",
        ],
    ),
    ("family", "gia đình", &["household_id", "head", "members", "relation", "marriage_date", "divorce_date", "children", "guardian"]),
    (
        "residence",
        "cư trú",
        &["address", "registered_on", "kind", "owner", "host", "duration", "previous_address", "commune", "province", "status"],
    ),
    (
        "land",
        "đất đai",
        &[
            "parcel_id",
            "map_sheet",
            "area",
            "owner",
            "use_purpose",
            "use_term",
            "origin",
            "address",
            "certificate_no",
            "mortgage",
            "price",
            "boundary",
            "assets",
            "transfer_date",
            "encumbrance",
            "zoning",
        ],
    ),
    (
        "construction",
        "xây dựng",
        &[
            "permit_no",
            "project",
            "investor",
            "location",
            "floors",
            "floor_area",
            "height",
            "design_unit",
            "contractor",
            "completion",
            "inspection",
            "grade",
        ],
    ),
    (
        "business",
        "doanh nghiệp",
        &[
            "enterprise_code",
            "name",
            "legal_form",
            "address",
            "charter_capital",
            "owners",
            "legal_representative",
            "lines",
            "founded_on",
            "status",
            "branches",
            "employees",
            "revenue",
            "licence",
        ],
    ),
    ("tax", "thuế", &["code", "registration", "declarations", "arrears", "refunds", "method", "office", "period", "invoices", "status"]),
    (
        "health",
        "y tế",
        &[
            "insurance_card",
            "facility",
            "history",
            "vaccination",
            "disability",
            "examination",
            "certificate",
            "birth_record",
            "death_cause",
            "fitness",
        ],
    ),
    (
        "education",
        "giáo dục",
        &["school", "diploma", "grade", "major", "transcript", "graduation_year", "certificate", "enrolment", "level", "ranking"],
    ),
    (
        "employment",
        "lao động",
        &["employer", "contract", "salary", "position", "start_date", "end_date", "work_permit", "unemployment", "accidents", "union"],
    ),
    (
        "insurance",
        "bảo hiểm",
        &["social_no", "contributions", "period", "benefits", "pension", "maternity", "sickness", "unit", "salary_base", "status"],
    ),
    (
        "vehicle",
        "phương tiện",
        &[
            "plate",
            "owner",
            "kind",
            "engine_no",
            "chassis_no",
            "registered_on",
            "inspection",
            "licence_no",
            "licence_class",
            "violations",
            "colour",
            "brand",
        ],
    ),
    (
        "judicial",
        "tư pháp",
        &["criminal_record", "convictions", "court_decisions", "enforcement", "notarisation", "lawyer", "legal_aid", "bankruptcy"],
    ),
    ("farm", "nông nghiệp", &["area", "crops", "livestock", "owner", "cooperative", "subsidies", "certification", "cadastre"]),
    (
        "environment",
        "môi trường",
        &["impact_report", "permit", "emissions", "waste", "water_use", "inspection", "penalties", "monitoring", "zone", "licence_no"],
    ),
    ("culture", "văn hóa", &["heritage", "event_permit", "performer", "publication", "broadcast", "advertising"]),
    ("finance", "tài chính", &["account", "credit_history", "loans", "collateral", "bank", "securities", "licence", "reserves"]),
];

/// Sectors: id, names, responsible agency, primary and secondary fact subject, life events.
struct Sector {
    id: &'static str,
    vi: &'static str,
    en: &'static str,
    agency: &'static str,
    subjects: [&'static str; 2],
    events: &'static [&'static str],
}

const SECTORS: &[Sector] = &[
    Sector {
        id: "civil_status",
        vi: "Hộ tịch",
        en: "Civil status",
        agency: "moj",
        subjects: ["person", "family"],
        events: &["birth", "marriage", "death"],
    },
    Sector {
        id: "residence", vi: "Cư trú", en: "Residence", agency: "mps", subjects: ["residence", "person"], events: &["moving_house"]
    },
    Sector { id: "land", vi: "Đất đai", en: "Land", agency: "mae", subjects: ["land", "person"], events: &["buying_property"] },
    Sector {
        id: "construction",
        vi: "Hoạt động xây dựng",
        en: "Construction",
        agency: "moc",
        subjects: ["construction", "land"],
        events: &["building_a_house"],
    },
    Sector {
        id: "enterprise",
        vi: "Thành lập và hoạt động doanh nghiệp",
        en: "Enterprises",
        agency: "mof",
        subjects: ["business", "person"],
        events: &["starting_a_business"],
    },
    Sector {
        id: "tax",
        vi: "Thuế",
        en: "Tax",
        agency: "mof",
        subjects: ["tax", "business"],
        events: &["starting_a_business", "employment"],
    },
    Sector {
        id: "health",
        vi: "Khám bệnh, chữa bệnh",
        en: "Health care",
        agency: "moh",
        subjects: ["health", "person"],
        events: &["birth", "illness"],
    },
    Sector {
        id: "education",
        vi: "Giáo dục và đào tạo",
        en: "Education",
        agency: "moet",
        subjects: ["education", "person"],
        events: &["going_to_school"],
    },
    Sector {
        id: "labour",
        vi: "Việc làm",
        en: "Labour",
        agency: "moha",
        subjects: ["employment", "person"],
        events: &["employment", "job_loss"],
    },
    Sector {
        id: "social_insurance",
        vi: "Bảo hiểm xã hội",
        en: "Social insurance",
        agency: "vss",
        subjects: ["insurance", "employment"],
        events: &["employment", "retirement"],
    },
    Sector {
        id: "road_transport",
        vi: "Đường bộ",
        en: "Road transport",
        agency: "moc",
        subjects: ["vehicle", "person"],
        events: &["buying_a_vehicle"],
    },
    Sector {
        id: "judicial_records",
        vi: "Lý lịch tư pháp",
        en: "Judicial records",
        agency: "moj",
        subjects: ["judicial", "person"],
        events: &["employment", "travelling_abroad"],
    },
    Sector { id: "agriculture", vi: "Nông nghiệp", en: "Agriculture", agency: "mae", subjects: ["farm", "land"], events: &["farming"] },
    Sector {
        id: "environment",
        vi: "Môi trường",
        en: "Environment",
        agency: "mae",
        subjects: ["environment", "business"],
        events: &["starting_a_business"],
    },
    Sector { id: "culture", vi: "Văn hóa", en: "Culture", agency: "mocst", subjects: ["culture", "business"], events: &[] },
    Sector {
        id: "banking",
        vi: "Ngân hàng",
        en: "Banking",
        agency: "sbv",
        subjects: ["finance", "business"],
        events: &["buying_property"],
    },
];

/// Agency id, names, and (successor, merger date).
type AgencyRow = (&'static str, &'static str, &'static str, Option<(&'static str, &'static str)>);

const AGENCIES: &[AgencyRow] = &[
    ("gov", "Văn phòng Chính phủ", "Government Office", None),
    ("moj", "Bộ Tư pháp", "Ministry of Justice", None),
    ("mps", "Bộ Công an", "Ministry of Public Security", None),
    ("mof", "Bộ Tài chính", "Ministry of Finance", None),
    ("mae", "Bộ Nông nghiệp và Môi trường", "Ministry of Agriculture and Environment", None),
    ("moc", "Bộ Xây dựng", "Ministry of Construction", None),
    ("moh", "Bộ Y tế", "Ministry of Health", None),
    ("moet", "Bộ Giáo dục và Đào tạo", "Ministry of Education and Training", None),
    ("moha", "Bộ Nội vụ", "Ministry of Home Affairs", None),
    ("moit", "Bộ Công Thương", "Ministry of Industry and Trade", None),
    ("mst", "Bộ Khoa học và Công nghệ", "Ministry of Science and Technology", None),
    ("mocst", "Bộ Văn hóa, Thể thao và Du lịch", "Ministry of Culture, Sports and Tourism", None),
    ("mofa", "Bộ Ngoại giao", "Ministry of Foreign Affairs", None),
    ("mod", "Bộ Quốc phòng", "Ministry of National Defence", None),
    ("sbv", "Ngân hàng Nhà nước Việt Nam", "State Bank of Vietnam", None),
    ("vss", "Bảo hiểm xã hội Việt Nam", "Vietnam Social Security", None),
    ("cema", "Ủy ban Dân tộc", "Committee for Ethnic Minority Affairs", None),
    ("mpi", "Bộ Kế hoạch và Đầu tư", "Ministry of Planning and Investment", Some(("mof", "2025-03-01"))),
    ("monre", "Bộ Tài nguyên và Môi trường", "Ministry of Natural Resources and Environment", Some(("mae", "2025-03-01"))),
    ("mard", "Bộ Nông nghiệp và Phát triển nông thôn", "Ministry of Agriculture and Rural Development", Some(("mae", "2025-03-01"))),
    ("mot", "Bộ Giao thông vận tải", "Ministry of Transport", Some(("moc", "2025-03-01"))),
    ("mic", "Bộ Thông tin và Truyền thông", "Ministry of Information and Communications", Some(("mst", "2025-03-01"))),
    ("molisa", "Bộ Lao động - Thương binh và Xã hội", "Ministry of Labour, Invalids and Social Affairs", Some(("moha", "2025-03-01"))),
    ("mpt", "Bộ Bưu chính, Viễn thông", "Ministry of Post and Telematics", Some(("mic", "2007-08-01"))),
    ("pc_hanoi", "UBND thành phố Hà Nội", "Hanoi People's Committee", None),
    ("pc_hcmc", "UBND Thành phố Hồ Chí Minh", "Ho Chi Minh City People's Committee", None),
    ("pc_haiphong", "UBND thành phố Hải Phòng", "Hai Phong People's Committee", None),
    ("pc_danang", "UBND thành phố Đà Nẵng", "Da Nang People's Committee", None),
    ("pc_cantho", "UBND thành phố Cần Thơ", "Can Tho People's Committee", None),
    ("pc_quangninh", "UBND tỉnh Quảng Ninh", "Quang Ninh People's Committee", None),
    ("pc_nghean", "UBND tỉnh Nghệ An", "Nghe An People's Committee", None),
    ("pc_thanhhoa", "UBND tỉnh Thanh Hóa", "Thanh Hoa People's Committee", None),
    ("pc_dongnai", "UBND tỉnh Đồng Nai", "Dong Nai People's Committee", None),
    ("pc_binhduong", "UBND tỉnh Bình Dương", "Binh Duong People's Committee", Some(("pc_hcmc", "2025-07-01"))),
    ("pc_bariavungtau", "UBND tỉnh Bà Rịa - Vũng Tàu", "Ba Ria - Vung Tau People's Committee", Some(("pc_hcmc", "2025-07-01"))),
    ("pc_khanhhoa", "UBND tỉnh Khánh Hòa", "Khanh Hoa People's Committee", None),
    ("pc_lamdong", "UBND tỉnh Lâm Đồng", "Lam Dong People's Committee", None),
    ("pc_hue", "UBND thành phố Huế", "Hue People's Committee", None),
    ("pc_angiang", "UBND tỉnh An Giang", "An Giang People's Committee", None),
    ("pc_daklak", "UBND tỉnh Đắk Lắk", "Dak Lak People's Committee", None),
];

/// Predecessors a stale catalog entry may still name, with the sector agency that succeeded them.
const STALE_AGENCIES: &[(&str, &str)] =
    &[("mof", "mpi"), ("mae", "monre"), ("mae", "mard"), ("moc", "mot"), ("moha", "molisa"), ("mst", "mic")];

const DOC_NOUNS: &[(&str, &str, &str)] = &[
    ("certificate", "Giấy chứng nhận", "certificate"),
    ("licence", "Giấy phép", "licence"),
    ("registration", "Giấy đăng ký", "registration"),
    ("confirmation", "Giấy xác nhận", "confirmation"),
    ("decision", "Quyết định", "decision"),
    ("extract", "Trích lục", "extract"),
    ("report", "Báo cáo", "report"),
    ("contract", "Hợp đồng", "contract"),
    ("record", "Biên bản", "record"),
    ("book", "Sổ", "book"),
    ("declaration", "Bản kê khai", "declaration"),
    ("plan", "Phương án", "plan"),
];

const VERBS: &[(&str, &str)] = &[
    ("Cấp", "Issuance of"),
    ("Cấp lại", "Re-issuance of"),
    ("Đăng ký", "Registration of"),
    ("Điều chỉnh", "Amendment of"),
    ("Gia hạn", "Renewal of"),
    ("Xác nhận", "Confirmation of"),
    ("Thu hồi", "Revocation of"),
    ("Chuyển nhượng", "Transfer of"),
];

const OF: &[&str] = &["parent", "spouse", "owner", "representative", "child", "guardian", "employer"];
const WHEN: &[&str] = &[
    "nếu có",
    "khi ủy quyền nộp hồ sơ",
    "if the applicant is a foreigner",
    "if the property is mortgaged",
    "khi thay đổi thông tin",
    "if applying on behalf of a minor",
];
const COPY: &[&str] = &["original", "copy", "certified_copy", "presented"];
const CHANNELS: &[&str] = &["NDXP", "LGSP", "VNeID", "API"];

struct FactDef {
    id: String,
    subject: usize,
}

struct DocDef {
    id: String,
    name: String,
    name_en: String,
    sector: Option<usize>,
    form: bool,
    proves: Vec<usize>,
    locked: bool,
}

struct DbDef {
    id: String,
    name: String,
    name_en: String,
    custodian: &'static str,
    status: usize,
    subjects: Vec<usize>,
    provides: Vec<usize>,
    serves: Vec<String>,
    quality: [f64; 4],
    channel: &'static str,
}

const DB_STATUS: [&str; 3] = ["planned", "building", "operational"];

/// The rules shared by catalog and tasks: ids, and what references may name.
struct Rules {
    facts: Vec<FactDef>,
    /// Facts by subject.
    subject_facts: Vec<Vec<usize>>,
    docs: Vec<DocDef>,
    /// Evidence documents of each sector.
    sector_evidence: Vec<Vec<usize>>,
    /// Forms of each sector.
    sector_forms: Vec<Vec<usize>>,
    /// Common documents (not of one sector), evidence only.
    common_evidence: Vec<usize>,
    /// The general application form.
    application_form: usize,
    dbs: Vec<DbDef>,
    /// The sector's main database, when it has one.
    sector_db: Vec<Option<usize>>,
}

fn subject_index(name: &str) -> usize {
    SUBJECTS.iter().position(|s| s.0 == name).expect("known subject")
}

fn fact_index(r: &Rules, id: &str) -> usize {
    r.facts.iter().position(|f| f.id == id).expect("known fact")
}

/// Generates a workspace in memory.
pub fn generate(cfg: &Config) -> Synth {
    let mut summary = Summary::default();
    let rules = rules(cfg.seed);
    let mut files = vec![
        ("rules/facts.yaml".to_string(), facts_yaml(&rules)),
        ("rules/agencies.yaml".to_string(), agencies_yaml()),
        ("rules/documents.yaml".to_string(), documents_yaml(&rules, cfg.seed)),
        ("rules/databases.yaml".to_string(), databases_yaml(&rules)),
    ];
    let (tasks_yaml, capacity) = tasks_yaml(&rules, cfg);
    if cfg.tasks > 0 {
        files.push(("rules/tasks.yaml".to_string(), tasks_yaml));
    }
    files.push(("rules/policy.yaml".to_string(), policy_yaml(capacity)));

    let k = cfg.files.max(1);
    let width = k.to_string().len().max(3);
    for f in 0..k {
        let (lo, hi) = (cfg.procedures * f / k, cfg.procedures * (f + 1) / k);
        let mut text = String::with_capacity((hi - lo) * 700 + 64);
        text.push_str("# Synthetic catalog generated by `cargo run --release --example synth`; not real data.\nprocedures:\n");
        for i in lo..hi {
            summary.components += procedure_yaml(&rules, cfg.seed, i, &mut text);
        }
        if hi == lo {
            text.truncate(text.len() - 1);
            text.push_str(" []\n");
        }
        files.push((format!("procedures/part-{:0width$}.yaml", f + 1), text));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));

    summary.facts = rules.facts.len();
    summary.documents = rules.docs.len();
    summary.forms = rules.docs.iter().filter(|d| d.form).count();
    summary.locked = rules.docs.iter().filter(|d| d.locked).count();
    summary.databases = rules.dbs.len();
    summary.agencies = AGENCIES.len();
    summary.merged_agencies = AGENCIES.iter().filter(|a| a.3.is_some()).count();
    summary.tasks = cfg.tasks;
    summary.procedures = cfg.procedures;
    summary.procedure_files = k;
    summary.bytes = files.iter().map(|f| f.1.len()).sum();
    Synth { files, summary }
}

// Streams of the seed: each part of the workspace draws from its own, so sizes stay independent.
const STREAM_RULES: u64 = 1;
const STREAM_DOCS_TEXT: u64 = 2;
const STREAM_TASK: u64 = 1 << 40;
const STREAM_TEMPLATE: u64 = 2 << 40;
const STREAM_VARIANT: u64 = 3 << 40;

fn rules(seed: u64) -> Rules {
    let mut rng = Rng::new(seed, STREAM_RULES);
    // Facts: every subject's attributes, plus a few seeded extras.
    let mut facts = Vec::new();
    let mut subject_facts = vec![Vec::new(); SUBJECTS.len()];
    for (s, (subject, _, attrs)) in SUBJECTS.iter().enumerate() {
        let extras = rng.below(5);
        for a in attrs.iter().map(|a| a.to_string()).chain((1..=extras).map(|k| format!("detail_{k}"))) {
            subject_facts[s].push(facts.len());
            facts.push(FactDef { id: format!("{subject}.{a}"), subject: s });
        }
    }
    let mut r = Rules {
        facts,
        subject_facts,
        docs: Vec::new(),
        sector_evidence: vec![Vec::new(); SECTORS.len()],
        sector_forms: vec![Vec::new(); SECTORS.len()],
        common_evidence: Vec::new(),
        application_form: 0,
        dbs: Vec::new(),
        sector_db: vec![None; SECTORS.len()],
    };

    // Common documents, with the facts people expect them to prove.
    let common: &[(&str, &str, &str, &[&str], bool)] = &[
        (
            "citizen_id_card",
            "Thẻ căn cước",
            "Citizen identity card",
            &[
                "person.personal_id",
                "person.full_name",
                "person.date_of_birth",
                "person.sex",
                "person.nationality",
                "person.permanent_address",
                "person.photo",
            ],
            false,
        ),
        (
            "passport",
            "Hộ chiếu",
            "Passport",
            &["person.passport_no", "person.full_name", "person.date_of_birth", "person.sex", "person.nationality", "person.photo"],
            false,
        ),
        (
            "driving_licence",
            "Giấy phép lái xe",
            "Driving licence",
            &[
                "person.personal_id",
                "person.full_name",
                "person.date_of_birth",
                "person.photo",
                "vehicle.licence_no",
                "vehicle.licence_class",
            ],
            false,
        ),
        (
            "birth_certificate",
            "Giấy khai sinh",
            "Birth certificate",
            &["person.full_name", "person.date_of_birth", "person.place_of_birth", "person.parents", "person.sex", "person.ethnicity"],
            false,
        ),
        (
            "marriage_certificate",
            "Giấy chứng nhận kết hôn",
            "Marriage certificate",
            &["person.full_name", "person.spouse", "family.marriage_date", "person.marital_status"],
            false,
        ),
        (
            "marital_status_certificate",
            "Giấy xác nhận tình trạng hôn nhân",
            "Certificate of marital status",
            &["person.full_name", "person.marital_status"],
            false,
        ),
        (
            "death_certificate",
            "Giấy chứng tử",
            "Death certificate",
            &["person.full_name", "person.death_date", "health.death_cause"],
            false,
        ),
        (
            "residence_confirmation",
            "Giấy xác nhận thông tin về cư trú",
            "Confirmation of residence",
            &["residence.address", "residence.registered_on", "residence.kind", "person.full_name"],
            false,
        ),
        (
            "household_book",
            "Sổ hộ khẩu",
            "Household registration book",
            &["family.household_id", "family.head", "family.members", "residence.address"],
            false,
        ),
        (
            "health_insurance_card",
            "Thẻ bảo hiểm y tế",
            "Health insurance card",
            &["health.insurance_card", "insurance.social_no", "person.full_name", "person.date_of_birth"],
            false,
        ),
        (
            "criminal_record_certificate",
            "Phiếu lý lịch tư pháp",
            "Criminal record certificate",
            &["judicial.criminal_record", "judicial.convictions", "person.full_name"],
            true,
        ),
        (
            "power_of_attorney",
            "Giấy ủy quyền",
            "Power of attorney",
            &["judicial.notarisation", "person.full_name", "person.personal_id"],
            false,
        ),
        ("photo", "Ảnh 4x6", "Photograph 4x6", &[], false),
    ];
    for (id, vi, en, proves, locked) in common {
        let proves = proves.iter().map(|f| fact_index(&r, f)).collect();
        r.common_evidence.push(r.docs.len());
        r.docs.push(DocDef {
            id: id.to_string(),
            name: vi.to_string(),
            name_en: en.to_string(),
            sector: None,
            form: false,
            proves,
            locked: *locked,
        });
    }
    r.application_form = r.docs.len();
    r.docs.push(DocDef {
        id: "application_form".into(),
        name: "Đơn đề nghị".into(),
        name_en: "Application form".into(),
        sector: None,
        form: true,
        proves: vec![fact_index(&r, "person.full_name"), fact_index(&r, "person.personal_id")],
        locked: false,
    });

    // Sector documents: 1–2 forms and 6–9 evidence types each.
    for (s, sec) in SECTORS.iter().enumerate() {
        let primary = subject_index(sec.subjects[0]);
        let secondary = subject_index(sec.subjects[1]);
        for k in 1..=rng.range(1, 2) {
            let n = rng.range(0, 3);
            let proves = rng.sample(&r.subject_facts[primary], n);
            r.sector_forms[s].push(r.docs.len());
            r.docs.push(DocDef {
                id: format!("{}_form_{k}", sec.id),
                name: format!("Tờ khai {} (mẫu {k})", sec.vi.to_lowercase()),
                name_en: format!("{} declaration form {k}", sec.en),
                sector: Some(s),
                form: true,
                proves,
                locked: false,
            });
        }
        let n = rng.range(6, 9);
        let nouns = rng.sample(DOC_NOUNS, n);
        for (id_noun, vi_noun, en_noun) in nouns {
            let id = format!("{}_{id_noun}", sec.id);
            // `residence_confirmation` is also a common document.
            if r.docs.iter().any(|d| d.id == id) {
                continue;
            }
            let mut proves = Vec::new();
            let key = r.subject_facts[primary][0];
            if rng.chance(0.85) {
                proves.push(key);
            }
            for _ in 0..rng.range(1, 6) {
                let pool = if rng.chance(0.7) { &r.subject_facts[primary] } else { &r.subject_facts[secondary] };
                let f = *rng.pick(pool);
                if !proves.contains(&f) {
                    proves.push(f);
                }
            }
            if rng.chance(0.3) {
                let name = fact_index(&r, "person.full_name");
                if !proves.contains(&name) {
                    proves.push(name);
                }
            }
            proves.sort_unstable();
            r.sector_evidence[s].push(r.docs.len());
            r.docs.push(DocDef {
                id,
                name: format!("{vi_noun} {}", sec.vi.to_lowercase()),
                name_en: format!("{} {en_noun}", sec.en),
                sector: Some(s),
                form: false,
                proves,
                locked: rng.chance(0.08),
            });
        }
    }

    // Databases: the national ones, then seeded extras.
    let core: &[(&str, &str, &str, &str, &[&str])] = &[
        ("population_db", "Cơ sở dữ liệu quốc gia về dân cư", "National Population Database", "mps", &["person", "residence", "family"]),
        ("civil_status_db", "Cơ sở dữ liệu hộ tịch điện tử", "Electronic Civil Status Database", "moj", &["family", "person"]),
        ("land_db", "Cơ sở dữ liệu quốc gia về đất đai", "National Land Database", "mae", &["land"]),
        ("construction_db", "Cơ sở dữ liệu về hoạt động xây dựng", "Construction Database", "moc", &["construction"]),
        (
            "business_registration_db",
            "Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp",
            "National Business Registration Database",
            "mof",
            &["business"],
        ),
        ("tax_db", "Cơ sở dữ liệu về thuế", "Tax Database", "mof", &["tax"]),
        ("health_db", "Cơ sở dữ liệu y tế", "Health Database", "moh", &["health"]),
        ("education_db", "Cơ sở dữ liệu ngành giáo dục", "Education Database", "moet", &["education"]),
        ("labour_db", "Cơ sở dữ liệu về người lao động", "Labour Market Database", "moha", &["employment"]),
        ("insurance_db", "Cơ sở dữ liệu quốc gia về bảo hiểm", "National Insurance Database", "vss", &["insurance", "health"]),
        ("vehicle_db", "Cơ sở dữ liệu đăng ký phương tiện", "Vehicle Registration Database", "mps", &["vehicle"]),
        ("judicial_records_db", "Cơ sở dữ liệu lý lịch tư pháp", "Judicial Records Database", "moj", &["judicial"]),
        ("farm_db", "Cơ sở dữ liệu nông nghiệp", "Agriculture Database", "mae", &["farm"]),
        ("environment_db", "Cơ sở dữ liệu môi trường", "Environment Database", "mae", &["environment"]),
        ("culture_db", "Cơ sở dữ liệu văn hóa", "Culture Database", "mocst", &["culture"]),
        ("credit_db", "Cơ sở dữ liệu thông tin tín dụng", "Credit Information Database", "sbv", &["finance"]),
    ];
    let levels = ["central", "province", "commune"];
    for (i, (id, vi, en, custodian, subjects)) in core.iter().enumerate() {
        let subjects: Vec<usize> = subjects.iter().map(|s| subject_index(s)).collect();
        let population = i == 0;
        let mut provides = Vec::new();
        for &s in &subjects {
            let share = if population { 0.85 } else { 0.4 + 0.5 * rng.unit() };
            let n = ((r.subject_facts[s].len() as f64) * share).ceil() as usize;
            provides.extend(rng.sample(&r.subject_facts[s], n));
        }
        let status = if population { 2 } else { status_draw(&mut rng) };
        let serves = if population {
            vec!["all".to_string()]
        } else {
            let sector = SECTORS.iter().position(|sec| subjects.contains(&subject_index(sec.subjects[0])));
            serves_draw(&mut rng, sector, custodian, &levels)
        };
        let quality = if population { [0.99, 0.97, 0.98, 0.95] } else { quality_draw(&mut rng) };
        provides.sort_unstable();
        provides.dedup();
        r.dbs.push(DbDef {
            id: id.to_string(),
            name: vi.to_string(),
            name_en: en.to_string(),
            custodian,
            status,
            subjects,
            provides,
            serves,
            quality,
            channel: if population { "NDXP" } else { CHANNELS[rng.below(CHANNELS.len())] },
        });
    }
    for (s, sec) in SECTORS.iter().enumerate() {
        let primary = subject_index(sec.subjects[0]);
        r.sector_db[s] = r.dbs.iter().position(|d| d.subjects[0] == primary);
    }
    for k in 1..=rng.range(4, 22) {
        let s = rng.below(SECTORS.len());
        let sec = &SECTORS[s];
        let subject = subject_index(sec.subjects[rng.below(2)]);
        let n = rng.range(3, 8);
        let mut provides = rng.sample(&r.subject_facts[subject], n);
        provides.sort_unstable();
        let province = AGENCIES[24 + rng.below(AGENCIES.len() - 24)];
        let provincial = rng.chance(0.4);
        let (id, vi, en, custodian, serves) = if provincial {
            (
                format!("{}_{}_db_{k}", province.0, sec.id),
                format!("Cơ sở dữ liệu {} - {}", sec.vi.to_lowercase(), province.1),
                format!("{} register of {}", sec.en, province.2),
                province.0,
                // A province's own system serves its own procedures (and, once merged, the successor's).
                vec![format!("agency:{}", province.0)],
            )
        } else {
            (
                format!("{}_registry_{k}", sec.id),
                format!("Hệ thống thông tin {} số {k}", sec.vi.to_lowercase()),
                format!("{} registry {k}", sec.en),
                sec.agency,
                serves_draw(&mut rng, Some(s), sec.agency, &levels),
            )
        };
        let status = status_draw(&mut rng);
        // Now and then a planned system with no decided scope yet.
        let serves = if status == 0 && rng.chance(0.3) { Vec::new() } else { serves };
        r.dbs.push(DbDef {
            id,
            name: vi,
            name_en: en,
            custodian,
            status,
            subjects: vec![subject],
            provides,
            serves,
            quality: quality_draw(&mut rng),
            channel: CHANNELS[rng.below(CHANNELS.len())],
        });
    }
    r
}

fn status_draw(rng: &mut Rng) -> usize {
    let u = rng.unit();
    if u < 0.65 {
        2
    } else if u < 0.85 {
        1
    } else {
        0
    }
}

fn serves_draw(rng: &mut Rng, sector: Option<usize>, custodian: &str, levels: &[&str]) -> Vec<String> {
    let mut serves = Vec::new();
    let u = rng.unit();
    if u < 0.35 {
        serves.push("all".to_string());
    } else if u < 0.6 {
        let n = rng.range(1, 2);
        for l in rng.sample(levels, n) {
            serves.push(format!("level:{l}"));
        }
    } else if u < 0.85 {
        let s = sector.unwrap_or_else(|| rng.below(SECTORS.len()));
        serves.push(format!("sector:{}", SECTORS[s].id));
        if rng.chance(0.3) {
            serves.push(format!("sector:{}", rng.pick(SECTORS).id));
        }
    } else {
        serves.push(format!("agency:{custodian}"));
    }
    serves.dedup();
    serves
}

fn quality_draw(rng: &mut Rng) -> [f64; 4] {
    let mut q = [0.0; 4];
    for v in &mut q {
        *v = ((0.72 + 0.275 * rng.unit()) * 100.0).floor() / 100.0;
    }
    q
}

/// Double-quoted YAML scalar.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn id_list<'a>(ids: impl IntoIterator<Item = &'a str>) -> String {
    let v: Vec<&str> = ids.into_iter().collect();
    format!("[{}]", v.join(", "))
}

fn facts_yaml(r: &Rules) -> String {
    let mut out = String::from("# Synthetic facts (paperwork synth); not real data.\nfacts:\n");
    for f in &r.facts {
        let (_, subject_vi, _) = SUBJECTS[f.subject];
        let attr = f.id.split_once('.').map_or("", |x| x.1);
        let en = attr.replace('_', " ");
        let _ = writeln!(out, "  - {{ id: {}, name: {}, name_en: {} }}", f.id, quoted(&format!("{en} ({subject_vi})")), quoted(&en));
    }
    out
}

fn agencies_yaml() -> String {
    let mut out = String::from("agencies:\n");
    for (id, vi, en, merged) in AGENCIES {
        let _ = write!(out, "  - {{ id: {id}, name: {}, name_en: {}", quoted(vi), quoted(en));
        if let Some((into, on)) = merged {
            let _ = write!(out, ", merged_into: {into}, merged_on: {on}");
        }
        out.push_str(" }\n");
    }
    out
}

fn documents_yaml(r: &Rules, seed: u64) -> String {
    let mut rng = Rng::new(seed, STREAM_DOCS_TEXT);
    let mut out = String::from("documents:\n");
    for d in &r.docs {
        let _ = writeln!(out, "  - id: {}\n    name: {}\n    name_en: {}", d.id, quoted(&d.name), quoted(&d.name_en));
        if d.form {
            out.push_str("    kind: form\n");
        }
        if !d.proves.is_empty() {
            let _ = writeln!(out, "    proves: {}", id_list(d.proves.iter().map(|&f| r.facts[f].id.as_str())));
        }
        let hours = [0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0][rng.below(8)];
        let cost = [0, 0, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000][rng.below(8)];
        let _ = writeln!(out, "    burden: {{ hours: {hours}, cost: {cost} }}");
        if d.locked {
            let article = 10 + rng.below(190);
            let sector = d.sector.map_or("Civil Status", |s| SECTORS[s].en);
            let _ = writeln!(
                out,
                "    lock: {{ basis: {}, reason: {} }}",
                quoted(&format!("Law on {sector} 2024, art. {article}")),
                quoted("the original paper is annotated and returned")
            );
        }
    }
    out
}

fn databases_yaml(r: &Rules) -> String {
    let mut out = String::from("databases:\n");
    for d in &r.dbs {
        let _ = writeln!(
            out,
            "  - id: {}\n    name: {}\n    name_en: {}\n    custodian: {}\n    status: {}\n    provides: {}\n    serves: {}\n    channel: {}",
            d.id,
            quoted(&d.name),
            quoted(&d.name_en),
            d.custodian,
            DB_STATUS[d.status],
            id_list(d.provides.iter().map(|&f| r.facts[f].id.as_str())),
            id_list(d.serves.iter().map(String::as_str)),
            d.channel
        );
        let q = d.quality;
        let _ = writeln!(out, "    quality: {{ correct: {}, sufficient: {}, clean: {}, live: {} }}", q[0], q[1], q[2], q[3]);
    }
    out
}

fn month_date(rng: &mut Rng, offset: i64) -> String {
    let m = AS_OF_MONTH + offset;
    format!("{:04}-{:02}-{:02}", m / 12, m % 12 + 1, rng.range(1, 28))
}

const TASK_VERBS: &[(&str, &str)] = &[
    ("connect", "Connect"),
    ("clean", "Clean and deduplicate"),
    ("digitize", "Digitize the paper records of"),
    ("extend", "Extend the scope of"),
    ("upgrade", "Upgrade"),
    ("amend", "Amend the regulation behind"),
];

/// Task `i`'s stream (after the head draws), status, database, id and title verb.
fn task_head(r: &Rules, seed: u64, i: usize, width: usize) -> (Rng, &'static str, usize, String, &'static str) {
    let mut rng = Rng::new(seed, STREAM_TASK + i as u64);
    let u = rng.unit();
    let status = if u < 0.5 {
        "not_started"
    } else if u < 0.8 {
        "in_progress"
    } else if u < 0.92 {
        "routine"
    } else {
        "done"
    };
    let db = rng.below(r.dbs.len());
    let (verb_id, verb) = *rng.pick(TASK_VERBS);
    let id = format!("t{:0width$}-{verb_id}-{}", i + 1, r.dbs[db].id);
    (rng, status, db, id, verb)
}

/// The tasks file, and the policy capacity that spreads the roadmap over about 24 phases.
fn tasks_yaml(r: &Rules, cfg: &Config) -> (String, f64) {
    let mut out = String::from("tasks:\n");
    let mut schedulable_effort = 0.0;
    let locked: Vec<usize> = (0..r.docs.len()).filter(|&d| r.docs[d].locked).collect();
    let unlocked_evidence: Vec<usize> = (0..r.docs.len()).filter(|&d| !r.docs[d].locked && !r.docs[d].form).collect();
    let width = cfg.tasks.max(1).to_string().len().max(4);
    for i in 0..cfg.tasks {
        let (mut rng, status, db_index, id, verb) = task_head(r, cfg.seed, i, width);
        let db = &r.dbs[db_index];
        let _ = writeln!(
            out,
            "  - id: {id}\n    title: {}\n    owner: {}\n    status: {status}",
            quoted(&format!("{verb} {}", db.name_en)),
            db.custodian
        );
        if rng.chance(0.92) {
            let offset = rng.range(0, 57) as i64 - 9;
            let _ = writeln!(out, "    due: {}", month_date(&mut rng, offset));
        }
        let effort = if rng.chance(0.9) { Some([0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 18.0, 24.0][rng.below(10)]) } else { None };
        if let Some(e) = effort {
            let _ = writeln!(out, "    effort: {e}");
        }
        if matches!(status, "not_started" | "in_progress") {
            schedulable_effort += effort.unwrap_or(1.0);
        }
        // Dependencies only on earlier tasks: chains, never cycles.
        let mut deps = Vec::new();
        if i > 0 && rng.chance(0.4) {
            deps.push(i - 1);
        }
        for _ in 0..2 {
            if i > 1 && rng.chance(0.15) {
                let d = rng.below(i);
                if !deps.contains(&d) {
                    deps.push(d);
                }
            }
        }
        if !deps.is_empty() {
            let names: Vec<String> = deps.iter().map(|&d| task_head(r, cfg.seed, d, width).3).collect();
            let _ = writeln!(out, "    depends_on: [{}]", names.join(", "));
        }
        out.push_str("    effects:\n");
        let mut effects: Vec<String> = Vec::new();
        for _ in 0..rng.range(1, 3) {
            let e = if status == "done" {
                done_effect(&mut rng, r, db_index, &unlocked_evidence)
            } else {
                effect(&mut rng, r, db_index, &locked)
            };
            if !effects.contains(&e) {
                effects.push(e);
            }
        }
        for e in &effects {
            let _ = writeln!(out, "      - {e}");
        }
    }
    let capacity: f64 = if cfg.tasks == 0 { 20.0 } else { (schedulable_effort / 24.0_f64).ceil().max(5.0) };
    (out, capacity)
}

/// An effect that changes something (status, scope, facts, quality or a lock).
fn effect(rng: &mut Rng, r: &Rules, db_index: usize, locked: &[usize]) -> String {
    let db = &r.dbs[db_index];
    let u = rng.unit();
    if u < 0.25 {
        let status = if db.status == 2 || rng.chance(0.8) { "operational" } else { "building" };
        format!("{{ database: {}, status: {status} }}", db.id)
    } else if u < 0.45 {
        let sel = match rng.below(4) {
            0 => "all".to_string(),
            1 => format!("level:{}", rng.pick(&["central", "province", "commune"])),
            2 => format!("sector:{}", rng.pick(SECTORS).id),
            _ => format!("agency:{}", AGENCIES[rng.below(17)].0),
        };
        format!("{{ database: {}, serves: [{sel}] }}", db.id)
    } else if u < 0.7 {
        let subject = *rng.pick(&db.subjects);
        let n = rng.range(1, 6);
        let facts = rng.sample(&r.subject_facts[subject], n);
        format!("{{ database: {}, provides: {} }}", db.id, id_list(facts.iter().map(|&f| r.facts[f].id.as_str())))
    } else if u < 0.9 || locked.is_empty() {
        let n = rng.range(1, 2);
        let criteria = rng.sample(&["correct", "sufficient", "clean", "live"], n);
        let parts: Vec<String> = criteria.iter().map(|c| format!("{c}: 0.{}", 85 + rng.below(14))).collect();
        format!("{{ database: {}, quality: {{ {} }} }}", db.id, parts.join(", "))
    } else {
        format!("{{ unlock: {} }}", r.docs[*rng.pick(locked)].id)
    }
}

/// An effect a `done` task had, already visible in the databases (so `check` stays quiet).
fn done_effect(rng: &mut Rng, r: &Rules, db_index: usize, unlocked: &[usize]) -> String {
    let db = &r.dbs[db_index];
    match rng.below(5) {
        0 => format!("{{ database: {}, status: {} }}", db.id, DB_STATUS[db.status]),
        1 if !db.serves.is_empty() => format!("{{ database: {}, serves: [{}] }}", db.id, rng.pick(&db.serves)),
        2 if !db.provides.is_empty() => {
            let n = rng.range(1, 3);
            let facts = rng.sample(&db.provides, n);
            format!("{{ database: {}, provides: {} }}", db.id, id_list(facts.iter().map(|&f| r.facts[f].id.as_str())))
        }
        3 => format!("{{ unlock: {} }}", r.docs[*rng.pick(unlocked)].id),
        _ => {
            let c = rng.below(4);
            let name = ["correct", "sufficient", "clean", "live"][c];
            format!("{{ database: {}, quality: {{ {name}: {} }} }}", db.id, ((db.quality[c] - 0.05).max(0.0) * 100.0).floor() / 100.0)
        }
    }
}

fn policy_yaml(capacity: f64) -> String {
    format!(
        "policy:\n  as_of: {AS_OF}\n  min_quality: {{ correct: 0.85, sufficient: 0.8, clean: 0.8, live: 0.75 }}\n  hourly_value: 30000\n  currency: VND\n  phase_months: 3\n  capacity_per_phase: {capacity}\n"
    )
}

/// Procedures come in families: a national template and its provincial variants.
const VARIANTS: usize = 5;
const PROVINCES: &[&str] =
    &["Hà Nội", "TP Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Quảng Ninh", "Nghệ An", "Thanh Hóa", "Đồng Nai", "Khánh Hòa"];

/// One component, as a flow mapping.
struct Comp {
    docs: Vec<usize>,
    of: Option<&'static str>,
    proves: Option<Vec<usize>>,
    when: Option<&'static str>,
    copy: Option<&'static str>,
}

struct Template {
    sector: Option<usize>,
    level: &'static str,
    agency: &'static str,
    events: Vec<&'static str>,
    name: String,
    name_en: String,
    volume: f64,
    comps: Vec<Comp>,
    produces: Option<usize>,
    records_to: Option<usize>,
}

fn evidence_component(rng: &mut Rng, r: &Rules, s: usize) -> Comp {
    let u = rng.unit();
    let docs = if u < 0.2 {
        // Identity: often any of several papers will do.
        let ids = [0, 1, 2];
        match rng.below(4) {
            0 => vec![0, 1],
            1 => vec![0, 1, 2],
            _ => vec![ids[rng.below(2)]],
        }
    } else if u < 0.8 {
        let pool = &r.sector_evidence[s];
        if rng.chance(0.08) && pool.len() >= 2 { rng.sample(pool, 2) } else { vec![*rng.pick(pool)] }
    } else if u < 0.9 {
        let other = rng.below(SECTORS.len());
        vec![*rng.pick(&r.sector_evidence[other])]
    } else {
        vec![*rng.pick(&r.common_evidence)]
    };
    let doc = &r.docs[docs[0]];
    let proves = (docs.len() == 1 && doc.proves.len() >= 2 && rng.chance(0.12)).then(|| {
        let n = rng.range(1, doc.proves.len() - 1);
        let mut p = rng.sample(&doc.proves, n);
        p.sort_unstable();
        p
    });
    Comp {
        docs,
        of: rng.chance(0.1).then(|| *rng.pick(OF)),
        proves,
        when: rng.chance(0.08).then(|| *rng.pick(WHEN)),
        copy: rng.chance(0.2).then(|| *rng.pick(COPY)),
    }
}

fn template(r: &Rules, seed: u64, t: usize) -> Template {
    let mut rng = Rng::new(seed, STREAM_TEMPLATE + t as u64);
    let s = rng.below(SECTORS.len());
    let sec = &SECTORS[s];
    let u = rng.unit();
    let level = if u < 0.1 {
        "central"
    } else if u < 0.55 {
        "province"
    } else {
        "commune"
    };
    let mut comps = Vec::new();
    if rng.chance(0.8) {
        let form = if rng.chance(0.85) { *rng.pick(&r.sector_forms[s]) } else { r.application_form };
        comps.push(Comp { docs: vec![form], of: None, proves: None, when: None, copy: None });
    }
    let total = rng.range(3, 8);
    while comps.len() < total {
        comps.push(evidence_component(&mut rng, r, s));
    }
    let produces = rng.chance(0.25).then(|| *rng.pick(&r.sector_evidence[s]));
    let records_to = produces.and_then(|_| if rng.chance(0.5) { r.sector_db[s] } else { None });
    let (vi_verb, en_verb) = *rng.pick(VERBS);
    let subject_doc = &r.docs[produces.unwrap_or_else(|| *rng.pick(&r.sector_evidence[s]))];
    let events = sec.events.iter().copied().filter(|_| rng.chance(0.6)).collect();
    Template {
        sector: (!rng.chance(0.02)).then_some(s),
        level,
        agency: sec.agency,
        events,
        name: format!("{vi_verb} {}", subject_doc.name.to_lowercase()),
        name_en: format!("{en_verb} {}", subject_doc.name_en.to_lowercase()),
        // Heavy tail: most procedures see hundreds of dossiers a year, a few millions.
        volume: (5.5 + 2.0 * rng.normal()).exp().min(5_000_000.0),
        comps,
        produces,
        records_to,
    }
}

/// Appends procedure `i` to `out`; returns its number of components.
fn procedure_yaml(r: &Rules, seed: u64, i: usize, out: &mut String) -> usize {
    let (t, v) = (i / VARIANTS, i % VARIANTS);
    let tpl = template(r, seed, t);
    let mut rng = Rng::new(seed, STREAM_VARIANT + i as u64);
    let prefix = match tpl.level {
        "central" => 1,
        "province" => 2,
        _ => 3,
    };
    let id = if v == 0 { format!("{prefix}.{t:06}") } else { format!("{prefix}.{t:06}.{v:02}") };
    let level = if v > 0 && tpl.level == "central" { "province" } else { tpl.level };
    let (name, name_en) = if v == 0 {
        (tpl.name.clone(), tpl.name_en.clone())
    } else {
        let p = PROVINCES[(t + v) % PROVINCES.len()];
        (format!("{} ({p})", tpl.name), format!("{} ({p})", tpl.name_en))
    };
    let agency = if rng.chance(0.03) {
        STALE_AGENCIES.iter().find(|(now, _)| *now == tpl.agency).map_or(tpl.agency, |(_, old)| old)
    } else if level != "central" && rng.chance(0.2) {
        AGENCIES[24 + rng.below(AGENCIES.len() - 24)].0
    } else {
        tpl.agency
    };
    let _ = writeln!(
        out,
        "  - id: \"{id}\"\n    name: {}\n    name_en: {}\n    agency: {agency}\n    level: {level}",
        quoted(&name),
        quoted(&name_en)
    );
    if let Some(s) = tpl.sector {
        let _ = writeln!(out, "    sector: {}", SECTORS[s].id);
    }
    if !tpl.events.is_empty() {
        let _ = writeln!(out, "    life_events: {}", id_list(tpl.events.iter().copied()));
    }
    let volume = if v == 0 { tpl.volume } else { tpl.volume * (0.05 + 0.6 * rng.unit()) };
    let _ = writeln!(out, "    annual_volume: {}", volume.round() as u64);
    out.push_str("    documents:\n");
    let mut comps: Vec<&Comp> = tpl.comps.iter().collect();
    // Provinces drop or add a paper now and then.
    if v > 0 && comps.len() > 3 && rng.chance(0.3) {
        comps.remove(1 + rng.below(comps.len() - 1));
    }
    let extra = (v > 0 && rng.chance(0.2)).then(|| evidence_component(&mut rng, r, tpl.sector.unwrap_or(0)));
    comps.extend(extra.as_ref());
    for c in &comps {
        out.push_str("      - { ");
        if c.docs.len() == 1 {
            let _ = write!(out, "document: {}", r.docs[c.docs[0]].id);
        } else {
            let _ = write!(out, "one_of: {}", id_list(c.docs.iter().map(|&d| r.docs[d].id.as_str())));
        }
        if let Some(of) = c.of {
            let _ = write!(out, ", of: {of}");
        }
        if let Some(p) = &c.proves {
            let _ = write!(out, ", proves: {}", id_list(p.iter().map(|&f| r.facts[f].id.as_str())));
        }
        if let Some(w) = c.when {
            let _ = write!(out, ", when: {}", quoted(w));
        }
        if let Some(copy) = c.copy {
            let _ = write!(out, ", copy: {copy}");
        }
        out.push_str(" }\n");
    }
    if let Some(d) = tpl.produces {
        let _ = writeln!(out, "    produces: [{}]", r.docs[d].id);
    }
    if let Some(db) = tpl.records_to {
        let _ = writeln!(out, "    records_to: [{}]", r.dbs[db].id);
    }
    comps.len()
}
