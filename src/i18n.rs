//! Interface language: Bahasa Indonesia by default, English on request.
//! Chosen by `?lang=`, then the `lang` cookie, then `Accept-Language`.
use std::collections::HashMap;
use std::future::{Ready, ready};
use std::sync::OnceLock;

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().get(..2).map(|s| s.to_ascii_lowercase()).as_deref() {
            Some("id") => Some(Lang::Id),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }

    pub fn from_request(req: &HttpRequest) -> Lang {
        if let Some(l) = req
            .query_string()
            .split('&')
            .find_map(|kv| kv.strip_prefix("lang="))
            .and_then(Lang::parse)
        {
            return l;
        }
        if let Some(l) = req.cookie("lang").and_then(|c| Lang::parse(c.value())) {
            return l;
        }
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.split(',').next())
            .and_then(Lang::parse)
            .unwrap_or_default()
    }

    /// Translate `key`; an unknown key comes back as itself so a gap is visible, not fatal.
    pub fn t(self, key: &str) -> &'static str {
        let d = dicts();
        let m = match self {
            Lang::Id => &d.0,
            Lang::En => &d.1,
        };
        m.get(key).copied().unwrap_or_else(|| {
            tracing::warn!(key, "missing translation");
            Box::leak(key.to_string().into_boxed_str())
        })
    }

    /// The whole dictionary, for templates (`{{ t.key }}`).
    pub fn dict_json(self) -> &'static serde_json::Value {
        static ID: OnceLock<serde_json::Value> = OnceLock::new();
        static EN: OnceLock<serde_json::Value> = OnceLock::new();
        let (cell, idx) = match self {
            Lang::Id => (&ID, 0),
            Lang::En => (&EN, 1),
        };
        cell.get_or_init(|| {
            let d = dicts();
            let m = if idx == 0 { &d.0 } else { &d.1 };
            serde_json::to_value(m).expect("string map serialises")
        })
    }
}

impl FromRequest for Lang {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Lang::from_request(req)))
    }
}

type Dict = HashMap<&'static str, &'static str>;

fn dicts() -> &'static (Dict, Dict) {
    static D: OnceLock<(Dict, Dict)> = OnceLock::new();
    D.get_or_init(|| {
        let mut id = HashMap::new();
        let mut en = HashMap::new();
        for (k, i, e) in MESSAGES.iter().chain(crate::i18n_training::MESSAGES) {
            id.insert(*k, *i);
            en.insert(*k, *e);
        }
        (id, en)
    })
}

/// (key, Bahasa Indonesia, English)
const MESSAGES: &[(&str, &str, &str)] = &[
    (
        "app_tagline",
        "Suara warga untuk layanan publik yang lebih baik",
        "Citizens' voice for better public services",
    ),
    ("nav_home", "Beranda", "Home"),
    ("nav_units", "Unit layanan", "Service units"),
    ("nav_login", "Masuk petugas", "Staff login"),
    ("nav_logout", "Keluar", "Log out"),
    ("nav_admin", "Administrasi", "Administration"),
    ("nav_dashboard", "Dasbor", "Dashboard"),
    ("lang_switch", "English", "Bahasa Indonesia"),
    ("lang_other", "en", "id"),
    ("skip_to_content", "Lompat ke isi", "Skip to content"),
    // errors
    ("err_404_title", "Halaman tidak ditemukan", "Page not found"),
    (
        "err_404_body",
        "Alamat yang Anda buka tidak ada atau sudah dipindahkan.",
        "The address you opened does not exist or has moved.",
    ),
    ("err_403_title", "Akses ditolak", "Access denied"),
    (
        "err_403_body",
        "Anda tidak memiliki izin untuk halaman ini.",
        "You do not have permission for this page.",
    ),
    ("err_400_title", "Permintaan tidak valid", "Invalid request"),
    (
        "err_400_body",
        "Permintaan tidak dapat diproses. Periksa kembali isian Anda.",
        "The request could not be processed. Please check what you entered.",
    ),
    (
        "err_409_title",
        "Data sudah berubah",
        "The data has changed",
    ),
    (
        "err_409_body",
        "Permintaan bertentangan dengan keadaan data saat ini. Muat ulang halaman lalu coba lagi.",
        "The request conflicts with the current state of the data. Reload the page and try again.",
    ),
    (
        "err_422_title",
        "Isian belum sesuai",
        "Some fields are invalid",
    ),
    (
        "err_422_body",
        "Sebagian isian tidak dapat diterima. Kembali, periksa isian Anda, lalu kirim lagi.",
        "Some of what you entered cannot be accepted. Go back, check it and send it again.",
    ),
    ("err_413_title", "Data terlalu besar", "Too much data"),
    (
        "err_413_body",
        "Isian atau berkas yang dikirim melebihi batas ukuran.",
        "What you sent exceeds the size limit.",
    ),
    (
        "err_429_title",
        "Terlalu banyak permintaan",
        "Too many requests",
    ),
    (
        "err_429_body",
        "Mohon tunggu sebentar lalu coba lagi.",
        "Please wait a moment and try again.",
    ),
    (
        "err_retry_after",
        "Coba lagi dalam (detik):",
        "Try again in (seconds):",
    ),
    ("err_500_title", "Terjadi kesalahan", "Something went wrong"),
    (
        "err_500_body",
        "Kesalahan sudah dicatat. Sebutkan kode ini bila menghubungi kami:",
        "The error has been logged. Quote this code if you contact us:",
    ),
    ("back_home", "Kembali ke beranda", "Back to home"),
    ("c_open_work", "Belum selesai", "Open work"),
    ("c_all_statuses", "Semua status", "All statuses"),
    ("c_matching", "Pengaduan yang cocok", "Matching complaints"),
    ("c_next_page", "Halaman berikutnya", "Next page"),
    // validation
    ("v_required", "Wajib diisi.", "Required."),
    (
        "v_slug",
        "Gunakan huruf kecil, angka dan tanda hubung (3–64 karakter).",
        "Use lower-case letters, digits and hyphens (3–64 characters).",
    ),
    (
        "v_length",
        "Panjang isian tidak sesuai.",
        "Length out of range.",
    ),
    (
        "v_range",
        "Nilai di luar rentang yang diizinkan.",
        "Value out of range.",
    ),
    (
        "v_number",
        "Harus berupa angka bulat.",
        "Must be a whole number.",
    ),
    (
        "v_email",
        "Alamat e-mail tidak valid.",
        "Invalid e-mail address.",
    ),
    ("v_choice", "Pilihan tidak dikenal.", "Unknown choice."),
    ("v_taken", "Sudah dipakai.", "Already taken."),
    (
        "v_unknown_agency",
        "Instansi tidak ditemukan.",
        "Agency not found.",
    ),
    (
        "v_unknown_field",
        "Pertanyaan tidak dikenal.",
        "Unknown question.",
    ),
    ("v_type", "Jenis isian salah.", "Wrong type of value."),
    (
        "v_date",
        "Tanggal harus berformat TTTT-BB-HH.",
        "Dates must be YYYY-MM-DD.",
    ),
    (
        "v_date_range",
        "Tanggal harus antara tahun 2000 dan 2100.",
        "Dates must fall between the years 2000 and 2100.",
    ),
    (
        "v_control_chars",
        "Berisi karakter kendali yang tidak diizinkan.",
        "Contains control characters, which are not allowed.",
    ),
    (
        "v_key_reused",
        "Kunci ini sudah dipakai untuk kiriman lain.",
        "This key was already used for a different submission.",
    ),
    (
        "v_key_format",
        "Kunci harus 1–255 karakter ASCII yang terlihat.",
        "The key must be 1–255 visible ASCII characters.",
    ),
    (
        "v_form_already_sent",
        "Formulir ini sudah terkirim dengan jawaban lain. Periksa jawaban Anda lalu kirim lagi untuk menyimpannya sebagai kiriman baru.",
        "This form was already sent with other answers. Check your answers and send again to store them as a new submission.",
    ),
    (
        "v_date_order",
        "Tanggal awal harus sebelum tanggal akhir.",
        "The start date must not be after the end date.",
    ),
    (
        "v_form_errors",
        "Ada isian yang perlu diperbaiki. Lihat pesan di bawah.",
        "Some answers need fixing. See the messages below.",
    ),
    (
        "v_csrf",
        "Formulir kedaluwarsa. Muat ulang halaman lalu kirim lagi.",
        "The form has expired. Reload the page and send it again.",
    ),
    // login
    ("login_title", "Masuk petugas", "Staff login"),
    ("login_email", "E-mail", "E-mail"),
    ("login_password", "Kata sandi", "Password"),
    ("login_submit", "Masuk", "Log in"),
    (
        "login_failed",
        "E-mail atau kata sandi salah.",
        "Wrong e-mail or password.",
    ),
    (
        "login_throttled",
        "Terlalu banyak percobaan gagal. Coba lagi dalam (detik):",
        "Too many failed attempts. Try again in (seconds):",
    ),
    // admin registry
    ("admin_title", "Administrasi", "Administration"),
    ("agencies", "Instansi", "Agencies"),
    ("agency", "Instansi", "Agency"),
    ("units", "Unit layanan", "Service units"),
    ("unit", "Unit layanan", "Service unit"),
    ("services", "Jenis layanan", "Services"),
    ("service", "Jenis layanan", "Service"),
    ("f_slug", "Slug (alamat URL)", "Slug (URL name)"),
    ("f_name", "Nama", "Name"),
    ("f_kind", "Jenis unit", "Kind of unit"),
    ("f_address", "Alamat", "Address"),
    ("f_staff_count", "Jumlah pegawai", "Number of staff"),
    (
        "f_monthly_visitors",
        "Perkiraan pengunjung per bulan",
        "Expected visitors per month",
    ),
    (
        "f_standard_minutes",
        "Standar waktu (menit)",
        "Standard time (minutes)",
    ),
    (
        "f_standard_days",
        "Standar waktu (hari kerja)",
        "Standard time (working days)",
    ),
    ("f_fee", "Tarif resmi (Rp)", "Declared fee (Rp)"),
    ("save", "Simpan", "Save"),
    ("create", "Tambah", "Add"),
    ("edit", "Ubah", "Edit"),
    ("archive", "Arsipkan", "Archive"),
    ("archived", "Diarsipkan", "Archived"),
    ("new_agency", "Instansi baru", "New agency"),
    ("new_unit", "Unit baru", "New unit"),
    ("new_service", "Layanan baru", "New service"),
    ("saved", "Tersimpan.", "Saved."),
    ("free", "Gratis", "Free"),
    ("none_yet", "Belum ada data.", "Nothing yet."),
    ("dashboard_title", "Dasbor petugas", "Staff dashboard"),
    ("your_units", "Unit Anda", "Your units"),
    ("role", "Peran", "Role"),
    ("role_admin", "Administrator", "Administrator"),
    ("role_supervisor", "Pengelola unit", "Unit supervisor"),
    ("role_planner", "Perencana", "Planner"),
    // public
    ("home_title", "Pilih unit layanan", "Choose a service unit"),
    (
        "home_intro",
        "Nilai layanan yang baru Anda terima, atau sampaikan pengaduan. Tanpa akun.",
        "Rate a service you just received, or file a complaint. No account needed.",
    ),
    ("rate_this", "Nilai layanan ini", "Rate this service"),
    ("complain", "Sampaikan pengaduan", "File a complaint"),
    ("track", "Lacak pengaduan", "Track a complaint"),
    (
        "unit_services",
        "Layanan di unit ini",
        "Services at this unit",
    ),
    ("minutes", "menit", "minutes"),
    ("working_days", "hari kerja", "working days"),
    (
        "ikm_current",
        "Indeks Kepuasan Masyarakat",
        "Community Satisfaction Index",
    ),
    ("responses_n", "responden", "respondents"),
    ("print_poster", "Cetak poster QR", "Print QR poster"),
    (
        "poster_scan",
        "Pindai untuk menilai layanan kami",
        "Scan to rate our service",
    ),
    ("poster_or_open", "atau buka", "or open"),
    // survey
    (
        "survey_title",
        "Survei Kepuasan Masyarakat",
        "Community Satisfaction Survey",
    ),
    (
        "survey_intro",
        "Sekitar 2 menit. Jawaban Anda anonim dan membantu memperbaiki layanan.",
        "About 2 minutes. Your answers are anonymous and help improve the service.",
    ),
    ("survey_submit", "Kirim penilaian", "Send rating"),
    ("survey_optional", "(tidak wajib)", "(optional)"),
    (
        "survey_code",
        "Kode survei dari petugas",
        "Survey code from the counter",
    ),
    (
        "survey_code_bad",
        "Kode tidak valid atau sudah dipakai.",
        "Invalid or already used code.",
    ),
    (
        "survey_closed",
        "Unit ini belum membuka survei.",
        "This unit has no open survey.",
    ),
    ("survey_section_profile", "Tentang Anda", "About you"),
    ("survey_section_service", "Layanan", "The service"),
    ("survey_section_rating", "Penilaian", "Your rating"),
    ("thanks_title", "Terima kasih!", "Thank you!"),
    (
        "thanks_body",
        "Penilaian Anda sudah kami terima dan ikut dihitung dalam IKM unit ini.",
        "We have received your rating; it counts in this unit's index.",
    ),
    ("nav_complaints", "Pengaduan", "Complaints"),
    ("kind_pengaduan", "Pengaduan", "Complaint"),
    ("kind_aspirasi", "Aspirasi / saran", "Suggestion"),
    (
        "kind_permintaan_informasi",
        "Permintaan informasi",
        "Information request",
    ),
    ("status_received", "Diterima", "Received"),
    ("status_verified", "Diverifikasi", "Verified"),
    (
        "status_in_progress",
        "Sedang ditindaklanjuti",
        "In progress",
    ),
    ("status_resolved", "Selesai ditangani", "Resolved"),
    ("status_closed", "Ditutup", "Closed"),
    (
        "status_rejected",
        "Ditolak / dialihkan",
        "Rejected / forwarded",
    ),
    ("status_duplicate", "Duplikat", "Duplicate"),
    ("status_reopened", "Dibuka kembali", "Reopened"),
    ("action_verify", "Verifikasi", "Verify"),
    ("action_start", "Mulai tindak lanjut", "Start follow-up"),
    ("action_resolve", "Selesai ditangani", "Resolve"),
    ("action_close", "Tutup", "Close"),
    ("action_reject", "Tolak / alihkan", "Reject / forward"),
    (
        "action_mark_duplicate",
        "Tandai duplikat",
        "Mark as duplicate",
    ),
    ("action_reopen", "Buka kembali", "Reopen"),
    ("prio_rendah", "Rendah", "Low"),
    ("prio_normal", "Normal", "Normal"),
    ("prio_tinggi", "Tinggi", "High"),
    (
        "c_intro",
        "Ceritakan apa yang terjadi. Anda akan mendapat ID pelacakan untuk memantau tindak lanjutnya tanpa akun.",
        "Tell us what happened. You get a tracking ID to follow it up without an account.",
    ),
    ("c_kind", "Jenis laporan", "Kind of report"),
    ("c_category", "Kategori", "Category"),
    ("c_description", "Uraian", "Description"),
    (
        "c_description_hint",
        "20–4.000 karakter: apa, kapan, di loket mana.",
        "20–4,000 characters: what, when, at which counter.",
    ),
    ("c_incident_date", "Tanggal kejadian", "Date it happened"),
    ("c_wait_minutes", "Lama menunggu (menit)", "Wait (minutes)"),
    ("c_visits", "Berapa kali datang", "Visits needed"),
    ("c_fee_paid", "Biaya yang dibayar (Rp)", "Fee paid (Rp)"),
    ("c_contact", "Kontak", "Contact"),
    (
        "c_contact_hint",
        "Tidak wajib. Dengan e-mail Anda mendapat kabar setiap ada perkembangan.",
        "Optional. With an e-mail address you are told of every step.",
    ),
    ("c_contact_name", "Nama", "Name"),
    ("c_contact_email", "E-mail", "E-mail"),
    ("c_contact_phone", "Nomor telepon", "Phone number"),
    (
        "c_anonim",
        "Anonim: sembunyikan identitas saya dari unit layanan",
        "Anonymous: hide my identity from the service unit",
    ),
    (
        "c_anonim_hint",
        "Unit tidak akan melihat nama, e-mail, atau telepon Anda.",
        "The unit will not see your name, e-mail or phone.",
    ),
    (
        "c_rahasia",
        "Rahasia: jangan tampilkan laporan ini secara publik",
        "Confidential: never show this report publicly",
    ),
    (
        "c_rahasia_hint",
        "Isi laporan hanya dilihat petugas yang menanganinya.",
        "Only the staff handling it see the report.",
    ),
    (
        "c_attachments",
        "Foto atau dokumen (tidak wajib)",
        "Photos or documents (optional)",
    ),
    (
        "c_attachments_hint",
        "Paling banyak 3 berkas JPG, PNG, WebP atau PDF, masing-masing ≤ 5 MB.",
        "Up to 3 JPG, PNG, WebP or PDF files, 5 MB each.",
    ),
    ("c_submit", "Kirim laporan", "Send report"),
    (
        "c_not_found",
        "ID pelacakan tidak ditemukan. Periksa kembali penulisannya.",
        "Tracking ID not found. Please check it.",
    ),
    ("c_tracking_id", "ID pelacakan", "Tracking ID"),
    (
        "c_received",
        "Laporan Anda diterima. Simpan ID pelacakan ini untuk memantau tindak lanjutnya.",
        "Your report was received. Keep this tracking ID to follow it up.",
    ),
    ("c_status", "Status", "Status"),
    ("c_due", "batas waktu", "due"),
    ("c_overdue", "terlambat", "overdue"),
    ("c_history", "Riwayat", "History"),
    ("c_replies", "Tanggapan unit", "Replies from the unit"),
    (
        "c_reopen",
        "Belum puas? Buka kembali",
        "Not satisfied? Reopen",
    ),
    (
        "c_reopen_hint",
        "Anda dapat membuka kembali laporan ini sampai",
        "You can reopen this report until",
    ),
    ("c_reopen_reason", "Alasan", "Reason"),
    ("c_queue", "Antrean pengaduan", "Complaint queue"),
    ("c_filter", "Saring", "Filter"),
    ("c_overdue_only", "Hanya yang terlambat", "Overdue only"),
    (
        "c_bulk",
        "Tindakan untuk yang dipilih",
        "Action for the selected",
    ),
    (
        "c_reason",
        "Alasan (untuk penolakan)",
        "Reason (for rejection)",
    ),
    (
        "c_duplicate_of",
        "Duplikat dari (ID pelacakan)",
        "Duplicate of (tracking ID)",
    ),
    ("c_anonim_label", "Anonim", "Anonymous"),
    ("c_rahasia_label", "Rahasia", "Confidential"),
    (
        "c_deadlines",
        "Batas verifikasi / tindak lanjut pertama / penyelesaian",
        "Due: verify / first follow-up / resolution",
    ),
    ("c_change_status", "Ubah status", "Change status"),
    (
        "c_public_note",
        "Pesan untuk pelapor (tampil publik)",
        "Message to the citizen (public)",
    ),
    (
        "c_forward_to",
        "Alihkan ke unit (slug, untuk penolakan)",
        "Forward to unit (slug, for rejection)",
    ),
    ("c_reply", "Tanggapan publik", "Public reply"),
    ("c_send_reply", "Kirim tanggapan", "Send reply"),
    (
        "c_note",
        "Catatan internal (tidak tampil ke pelapor)",
        "Internal note (never shown to the citizen)",
    ),
    ("c_add_note", "Tambah catatan", "Add note"),
    ("c_assignee", "Petugas yang menangani", "Assigned to"),
    ("c_priority", "Prioritas", "Priority"),
    (
        "v_description_length",
        "Uraian harus 20–4.000 karakter.",
        "The description must be 20–4,000 characters.",
    ),
    (
        "v_future_date",
        "Tanggal tidak boleh di masa depan.",
        "The date cannot be in the future.",
    ),
    (
        "v_phone",
        "Nomor telepon tidak valid.",
        "Invalid phone number.",
    ),
    (
        "v_too_many_files",
        "Paling banyak 3 berkas.",
        "At most 3 files.",
    ),
    (
        "v_file_type",
        "Hanya JPG, PNG, WebP atau PDF.",
        "Only JPG, PNG, WebP or PDF.",
    ),
    (
        "v_reattach",
        "Lampirkan kembali berkas Anda.",
        "Please attach your files again.",
    ),
    ("nav_analytics", "Analitik", "Analytics"),
    ("a_title", "Analitik layanan", "Service analytics"),
    ("a_all", "Semua", "All"),
    ("a_from", "Dari", "From"),
    ("a_to", "Sampai", "To"),
    ("a_by", "Per", "By"),
    ("a_period", "Periode", "Period"),
    (
        "a_wait_median",
        "Median tunggu (menit)",
        "Median wait (min)",
    ),
    ("a_not_enough", "data belum cukup", "not enough data"),
    (
        "a_method",
        "IKM dengan selang kepercayaan 95%. Unit dengan responden kurang dari sampel minimum (Krejcie–Morgan, atau 30) tidak diberi peringkat. Sel dengan kurang dari 5 responden disembunyikan.",
        "IKM with 95% confidence intervals. Units with fewer respondents than the minimum sample (Krejcie–Morgan, or 30) are not ranked. Cells under 5 respondents are withheld.",
    ),
    ("a_report", "Laporan SKM resmi", "Official SKM report"),
    ("a_significant", "berubah signifikan", "significant change"),
    ("a_fell", "turun berturut-turut", "fell in a row"),
    ("a_print", "Cetak", "Print"),
    (
        "a_basis",
        "Disusun sesuai Peraturan Menteri PANRB Nomor 14 Tahun 2017 tentang Pedoman Penyusunan Survei Kepuasan Masyarakat.",
        "Prepared under PermenPANRB 14/2017 on the community satisfaction survey.",
    ),
    ("a_respondents", "Profil responden", "Respondent profile"),
    ("a_min_sample", "sampel minimum", "minimum sample"),
    (
        "a_nrr_table",
        "Nilai rata-rata per unsur",
        "Mean score per element",
    ),
    (
        "a_suppressed",
        "Responden terlalu sedikit untuk dilaporkan.",
        "Too few respondents to report.",
    ),
    ("a_and_grade", "dan mutu pelayanan", "and service grade"),
    ("a_lowest", "Unsur dengan nilai terendah", "Lowest elements"),
    ("a_followup", "Rencana tindak lanjut", "Follow-up plan"),
    ("a_problem", "Permasalahan", "Problem"),
    ("a_action", "Tindak lanjut", "Action"),
    ("a_when", "Waktu", "When"),
    ("a_who", "Penanggung jawab", "Who"),
    ("choose", "Pilih…", "Choose…"),
    (
        "codes_required",
        "Wajibkan kode sekali pakai untuk survei unit ini",
        "Require a one-time code for this unit's survey",
    ),
    ("codes_count", "Jumlah kode baru", "Number of new codes"),
    ("codes_make", "Buat dan cetak kode", "Make and print codes"),
    ("yes", "Ya", "Yes"),
    ("no", "Tidak", "No"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_unique() {
        let mut seen = std::collections::HashSet::new();
        for (k, _, _) in MESSAGES {
            assert!(seen.insert(k), "duplicate key {k}");
        }
    }

    #[test]
    fn parse_accept_language() {
        assert_eq!(Lang::parse("en-US"), Some(Lang::En));
        assert_eq!(Lang::parse("id"), Some(Lang::Id));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::En.t("login_submit"), "Log in");
    }
}
