//! Forms by their wording: the applicant's own request, declaration, commitment, explanation,
//! plan, report or list, which no lookup replaces, told apart from evidence by the words a row
//! opens with.

use super::text::{PhraseSet, phrase_end, previous_word_is};
use std::sync::LazyLock;

/// Openings of a form: the applicant's request, declaration, commitment, explanation or plan.
/// "đơn" and "phiếu" are checked apart ([`opens_as_form`]), and so are reports, lists, "kế
/// hoạch", notices and "giải trình", which others draw up too ([`own_paper`]).
const FORM_OPENINGS: [&str; 39] = [
    "tờ khai",
    "tờ trình",
    "bản khai",
    "bản kê khai",
    "bản tự khai",
    "giấy đề nghị",
    "văn bản đề nghị",
    // "VB đề nghị cấp lại Chứng chỉ hành nghề luật sư": the records abbreviate "văn bản".
    "vb đề nghị",
    "văn bản yêu cầu",
    "văn bản cam kết",
    "văn bản cam đoan",
    "bản cam kết",
    "bản cam đoan",
    // "Giấy cam đoan về việc sinh": the applicant swears to what no paper shows.
    "giấy cam kết",
    "giấy cam đoan",
    "cam kết",
    "cam đoan",
    "công văn đề nghị",
    "đề nghị",
    "mẫu",
    "biểu mẫu",
    "bản đăng ký",
    "phiếu đăng ký",
    "bản tường trình",
    // "Kê khai thuế, báo cáo tài chính … của Văn phòng công chứng": what the applicant declares,
    // as "bản kê khai" above.
    "kê khai",
    // "Nội dung khai báo tạm vắng gồm: họ và tên, …": the declaration itself, made at the
    // counter, by phone or online instead of on a printed form (Law on Residence, Art. 31).
    "nội dung khai báo",
    // Explanatory statements: the applicant explains its own equipment, organisation or
    // conversion ("Bản thuyết minh hệ thống thiết bị kỹ thuật …").
    "bản thuyết minh",
    "thuyết minh",
    // Plans: the applicant's project for what it asks to set up or change ("Đề án thành lập Văn
    // phòng công chứng", "Phương án kinh doanh", "Bản dự kiến quy trình cung cấp dịch vụ …",
    // "Dự toán xây dựng công trình"); no authority issues them, it approves them.
    "đề án",
    "bản đề án",
    "phương án",
    "bản phương án",
    "bản dự kiến",
    "dự toán",
    // Drafts the applicant submits for approval or certification: "Dự thảo Điều lệ …", "Dự
    // thảo Quy chế tổ chức, hoạt động …", "Dự thảo giao dịch", "Dự thảo di chúc".
    "dự thảo",
    // "Bản giới thiệu về hoạt động của tổ chức …": the applicant presents itself. Not "Giấy
    // giới thiệu", a letter an office gives its envoy.
    "bản giới thiệu",
    // Registrations a trainee files: "Giấy đăng ký tập sự hành nghề công chứng", "Giấy đăng ký
    // tham dự kiểm tra kết quả tập sự". Not "Giấy đăng ký hoạt động", a certificate.
    "giấy đăng ký tập sự",
    "giấy đăng ký tham dự",
    // The sponsor's letter on the ministry's template ("Giấy bảo lãnh cho người nước ngoài
    // thường trú tại Việt Nam (NA11)"): a declaration, as "Đơn bảo lãnh" is.
    "giấy bảo lãnh",
];

/// Words after "đơn" that make another word: "đơn vị" (unit), "đơn giá", "đơn thuốc"
/// (a prescription: evidence), "đơn hàng", "đơn đặt hàng" (an order), "đơn giản".
const NOT_DON: [&str; 8] = ["vị", "giá", "thuốc", "hàng", "đặt", "giản", "lẻ", "thuần"];

/// What a "phiếu" asks or declares within its next words ("Phiếu khai báo tạm trú", "Phiếu đề
/// nghị giải quyết thủ tục về căn cước"), unlike "Phiếu lý lịch tư pháp" or "Phiếu kết quả …".
const PHIEU_FORM_WORDS: [&str; 8] = ["đề nghị", "yêu cầu", "khai", "đăng ký", "xin", "thu nhận", "thu thập", "cung cấp thông tin"];

/// How many words after "phiếu" may hold one of [`PHIEU_FORM_WORDS`].
const PHIEU_REACH: usize = 4;

/// Reports the applicant draws up about itself open with "báo cáo" or "bản báo cáo" ("Báo cáo
/// kết quả hoạt động thử nghiệm …", "Báo cáo đánh giá tác động môi trường"); not the reports
/// of the authority's own file, which follow these words: its verification of a complaint or
/// denunciation ("Báo cáo kết quả xác minh nội dung khiếu nại", "Báo cáo kết quả thẩm tra, xác
/// minh nội dung tố cáo") or a supervisor's account of several organisations ("Báo cáo tình
/// hình hoạt động của các Trung tâm sát hạch …"); nor a certified one ([`CERTIFIED_WORDS`]).
const NOT_OWN_REPORT: [&str; 3] = ["kết quả xác minh", "kết quả thẩm tra", "tình hình hoạt động của các"];

/// Plans open with "kế hoạch" ("Kế hoạch hoặc biện pháp phòng ngừa, ứng phó sự cố …"), except
/// the authority's plan to verify a denunciation ("Kế hoạch xác minh tố cáo").
const NOT_OWN_PLAN: [&str; 1] = ["xác minh"];

/// A list ("danh sách") or a report the applicant draws up (its staff, trainees, members, the
/// people it proposes, its activity) is its own paper; one that says an authority certified or
/// approved it ("Báo cáo thành tích … có xác nhận … của Chủ tịch Ủy ban nhân dân xã", "Báo cáo
/// quyết toán tài chính … đã được cơ quan có thẩm quyền phê duyệt") is that authority's
/// evidence: it vouches for the facts listed. Not so for a declaration or an explanation, whose
/// certification only confirms who signed ("Bản khai cá nhân có xác nhận của chính quyền xã").
const CERTIFIED_WORDS: [&str; 2] = ["xác nhận", "phê duyệt"];

/// What an applicant notifies of itself right after "thông báo" or "văn bản thông báo", "về
/// việc" between them or not: its move, change or closure ("Thông báo chuyển địa điểm trụ sở cho
/// Sở Tư pháp …", "Thông báo về việc chấm dứt hoạt động …"), the file it sends ("Thông báo gửi
/// Hồ sơ đánh giá tác động …"), its notice to the Department of Justice, a secured party's notice
/// that it enforces its security ("Văn bản thông báo xử lý tài sản bảo đảm"). An authority's
/// notice is named by what it decided ("Thông báo thụ lý khiếu nại", "Thông báo của cơ quan
/// thuế …", "Thông báo về việc tổ chức thực hiện phục hồi danh dự") and stays evidence;
/// a "văn bản thông báo" citing a template is a form as before.
const OWN_NOTICE_WORDS: [&str; 8] = ["chuyển", "thay đổi", "chấm dứt", "gửi", "cập nhật", "cho sở", "xử lý tài sản", "lưu trú"];

/// Explanations open with "văn bản giải trình", "bản giải trình" or "giải trình" ("Văn bản giải
/// trình của người đề nghị cấp về … nguyên nhân mất thẻ"), except the explanation of the person
/// a denunciation accuses, which the authority's file holds ("Văn bản giải trình của người bị
/// tố cáo").
const NOT_OWN_EXPLANATION: [&str; 1] = ["của người bị"];

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
    if let Some(own) = own_paper(&s, key) {
        Some(own)
    } else if opens_as_form(&s) {
        Some(true)
    } else if EVIDENCE_SET.at(&s, 0).is_some() {
        Some(false)
    } else {
        None
    }
}

/// The kinds of paper the applicant draws up that other people draw up too: a report, a plan,
/// a list, an explanation or a notice is a form when it is the applicant's own
/// (`Some(true)`); a report, plan, list or explanation whose words show it is someone else's
/// is not one (`Some(false)`, even when it cites a template). `None` for other openings, and
/// for a notice that is not the applicant's, which the other rules judge.
fn own_paper(s: &[char], key: &str) -> Option<bool> {
    let followed_by = |end: usize, words: &[&str]| words.iter().any(|w| phrase_end(s, skip_space(s, end), w).is_some());
    let opens = |openings: &[&str]| openings.iter().find_map(|o| phrase_end(s, 0, o));
    // Anywhere in the row: "Danh sách … có xác nhận của …" says it late.
    let certified = || {
        let chars: Vec<char> = key.chars().collect();
        (0..chars.len()).any(|i| CERTIFIED_WORDS.iter().any(|w| phrase_end(&chars, i, w).is_some()))
    };
    if let Some(end) = opens(&["báo cáo", "bản báo cáo"]) {
        return Some(!followed_by(end, &NOT_OWN_REPORT) && !certified());
    }
    if let Some(end) = opens(&["kế hoạch"]) {
        return Some(!followed_by(end, &NOT_OWN_PLAN));
    }
    if opens(&["danh sách"]).is_some() {
        return Some(!certified());
    }
    if let Some(end) = opens(&["văn bản giải trình", "bản giải trình", "giải trình"]) {
        return Some(!followed_by(end, &NOT_OWN_EXPLANATION));
    }
    if let Some(end) = opens(&["văn bản thông báo", "thông báo"]) {
        let mut at = skip_space(s, end);
        if let Some(after) = phrase_end(s, at, "về việc") {
            at = skip_space(s, after);
        }
        // Another notice is left to the other rules: "thông báo" opens evidence, "văn bản thông
        // báo" is a form when it cites a template (a sponsor's notice on form NA-01).
        return OWN_NOTICE_WORDS.iter().any(|w| phrase_end(s, at, w).is_some()).then_some(true);
    }
    None
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

/// The first char at or after `i` that is not a space.
fn skip_space(s: &[char], mut i: usize) -> usize {
    while s.get(i) == Some(&' ') {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::super::is_form_wording;

    fn forms(wordings: &[&str]) {
        for w in wordings {
            assert!(is_form_wording(w), "should be a form: {w}");
        }
    }

    fn not_forms(wordings: &[&str]) {
        for w in wordings {
            assert!(!is_form_wording(w), "should not be a form: {w}");
        }
    }

    #[test]
    fn abbreviated_requests_and_written_commitments() {
        forms(&["VB đề nghị cấp lại Chứng chỉ hành nghề luật sư", "Giấy cam đoan về việc sinh", "Giấy cam kết của người nhận"]);
    }

    #[test]
    fn declarations_and_their_contents() {
        forms(&[
            "Bản chính hoặc bản sao có chứng thực hoặc bản sao điện tử kê khai thuế, báo cáo tài chính trong 03 năm gần nhất đã được kiểm toán của các Văn phòng công chứng bị sáp nhập",
            "Nội dung khai báo tạm vắng gồm: họ và tên, số định danh cá nhân hoặc số Chứng minh nhân dân, số hộ chiếu của người khai báo tạm vắng; lý do tạm vắng; thời gian tạm vắng; địa chỉ nơi đến",
        ]);
        // "nội dung" alone is no declaration
        not_forms(&["Nội dung thay đổi của giấy phép"]);
    }

    #[test]
    fn explanatory_statements_plans_and_drafts() {
        forms(&[
            "Bản thuyết minh hệ thống thiết bị kỹ thuật bảo đảm phù hợp với quy định của pháp luật",
            "Đề án thành lập Văn phòng công chứng, trong đó nêu rõ sự cần thiết thành lập",
            "Phương án kinh doanh",
            "01 bản phương án tài chính của cơ sở cai nghiện ma túy tự nguyện",
            "Bản dự kiến quy trình cung cấp dịch vụ cai nghiện ma túy tự nguyện tại gia đình, cộng đồng",
            "Bản chính dự toán xây dựng công trình",
            "Dự thảo Quy tắc hòa giải của Trung tâm",
            "Dự thảo di chúc",
            "Bản chính hoặc bản sao điện tử bản giới thiệu về hoạt động của tổ chức hòa giải thương mại nước ngoài",
        ]);
        // a letter of introduction is not a presentation; a plan named inside another paper is not it
        not_forms(&["Giấy giới thiệu của Cục Tổ chức cán bộ (Mẫu số 06)", "Quyết định phê duyệt đề án"]);
    }

    #[test]
    fn a_trainee_s_registrations_and_a_sponsor_s_letter() {
        forms(&[
            "Giấy đăng ký tập sự hành nghề Thừa phát lại theo mẫu do Bộ trưởng Bộ Tư pháp quy định",
            "Giấy đăng ký tham dự kiểm tra kết quả tập sự hành nghề đấu giá",
            "Giấy bảo lãnh cho người nước ngoài thường trú tại Việt Nam (NA11) ban hành kèm theo Thông tư số 22/2023/TT-BCA",
        ]);
        // registrations an office issued stay certificates; "giấy báo" (a notice) is not "giấy bảo lãnh"
        not_forms(&[
            "Giấy đăng ký hoạt động của Văn phòng công chứng",
            "Giấy đăng ký tham gia trợ giúp pháp lý đã được cấp",
            "Giấy báo nhập học của trường",
        ]);
    }

    #[test]
    fn reports_are_the_applicant_s_unless_the_authority_s_file_holds_them() {
        forms(&[
            "Báo cáo kết quả hoạt động thử nghiệm có kiểm soát đối với tổ chức",
            "Bản báo cáo kết quả khắc phục việc đình chỉ cung cấp dịch vụ",
            "Báo cáo đánh giá tác động môi trường",
        ]);
        not_forms(&[
            "Báo cáo kết quả xác minh nội dung khiếu nại",
            "Báo cáo kết quả thẩm tra, xác minh nội dung tố cáo",
            "Báo cáo tình hình hoạt động của các Trung tâm sát hạch hoặc biên bản vi phạm hoặc Quyết định giải thể",
            // the authority's report stays evidence even on a template
            "Báo cáo kết quả xác minh (Mẫu số 05)",
            // certified or approved: the certifier vouches for it
            "Báo cáo thành tích của tập thể, cá nhân được đề nghị khen thưởng có xác nhận, chữ ký, đóng dấu của Trưởng Công an xã",
            "Báo cáo quyết toán tài chính trong năm gần nhất của doanh nghiệp đã được cơ quan có thẩm quyền phê duyệt",
        ]);
    }

    #[test]
    fn plans_but_not_the_verification_plan() {
        forms(&["Kế hoạch hoặc biện pháp phòng ngừa, ứng phó sự cố khẩn cấp đối với kho bảo quản công cụ hỗ trợ"]);
        not_forms(&["Kế hoạch xác minh tố cáo"]);
    }

    #[test]
    fn lists_unless_certified_or_approved() {
        forms(&[
            "Danh sách người lao động đang tham gia bảo hiểm xã hội trong Công an nhân dân (nếu có)",
            "Danh sách cá nhân tham gia huấn luyện ghi rõ họ tên, ngày, tháng, năm sinh, chức vụ",
            "Danh sách trích ngang các tập thể, cá nhân được đề nghị khen thưởng",
        ]);
        not_forms(&[
            "Danh sách hộ nghèo có xác nhận của Ủy ban nhân dân cấp xã",
            "Danh sách học sinh đã được Sở Giáo dục và Đào tạo phê duyệt (Mẫu số 02)",
        ]);
    }

    #[test]
    fn explanations_but_not_the_accused_s() {
        forms(&[
            "Văn bản giải trình của người đề nghị cấp về thời gian, địa điểm và nguyên nhân mất thẻ có xác nhận của thủ trưởng cơ quan",
            "Văn bản giải trình, cam kết về quá trình phấn đấu về việc tuân thủ Hiến pháp và pháp luật",
            "Bản giải trình lý do chậm đăng ký",
        ]);
        not_forms(&["Văn bản giải trình của người bị tố cáo"]);
    }

    #[test]
    fn the_applicant_s_notices_but_not_the_authority_s() {
        forms(&[
            "Thông báo chuyển địa điểm trụ sở cho Sở Tư pháp nơi Chi nhánh đang đặt trụ sở;Mẫu số 11-PLIII-TTTM.docx",
            "Thông báo về việc chấm dứt hoạt động trung tâm hòa giải thương mại",
            "Thông báo về việc thay đổi người đại diện theo pháp luật, địa điểm đặt trụ sở Trung tâm trọng tài",
            "Thông báo gửi Hồ sơ đánh giá tác động chuyển dữ liệu cá nhân xuyên biên giới (dành cho tổ chức)",
            "Thông báo cho Sở Tư pháp nơi đã cấp Giấy đăng ký hoạt động",
            "Văn bản thông báo xử lý tài sản bảo đảm là tàu bay",
            "Thông báo lưu trú cho người nước ngoài",
        ]);
        not_forms(&[
            "Thông báo thụ lý khiếu nại",
            "Thông báo của cơ quan thuế về việc người nộp thuế chấm dứt hiệu lực mã số thuế",
            "Thông báo về việc tổ chức thực hiện phục hồi danh dự (mẫu 17/BTNN ban hành kèm theo Thông tư số 04/2018/TT-BTP)",
            "Văn bản thông báo",
        ]);
        // an organisation's notice on the ministry's template is still its own paper
        forms(&["Văn bản thông báo hoặc văn bản đề nghị của cơ quan, tổ chức có thẩm quyền (mẫu NA-01)"]);
    }
}
