//! A story for every headline the recorded lists carry: the recorded article page keeps its
//! frame (header, byline, rails) and gets a body written from the headline, so each headline
//! opens its own story in demos and screenshots (the recorded pages hold only two bodies).

/// What a headline is about, from its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    /// The rupiah and the dollar.
    Rupiah,
    /// IHSG and stocks.
    Stocks,
    /// Gold and Antam.
    Gold,
    /// The domestic economy: banks, rates, taxes.
    Economy,
    /// Anything else (world news).
    World,
}

/// The topic of a headline.
pub fn topic_of(title: &str) -> Topic {
    let t = title.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&["rupiah", "kurs", "dolar"]) {
        Topic::Rupiah
    } else if has(&["ihsg", "saham", "bursa", "lq45", "emiten", "idx"]) {
        Topic::Stocks
    } else if has(&["emas", "antam", "gold"]) {
        Topic::Gold
    } else if has(&[
        "bank",
        "kredit",
        "inflasi",
        "ekonomi",
        "pajak",
        "apbn",
        "bi ",
        "suku bunga",
        "ojk",
    ]) {
        Topic::Economy
    } else {
        Topic::World
    }
}

/// Escapes text for HTML.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The body paragraphs (as HTML) of the story under `title`, with a "Baca Juga" link to
/// `related` (address, title) after the second paragraph, as kontan places them.
pub fn body(title: &str, related: Option<(&str, &str)>) -> String {
    let (place, source, editor, lines): (&str, &str, &str, [&str; 4]) = match topic_of(title) {
        Topic::Rupiah => (
            "JAKARTA",
            "KONTAN",
            "Wahyu T.Rahmawati",
            [
                "Pergerakan kurs rupiah terhadap dolar Amerika Serikat (AS) kembali menjadi perhatian pelaku pasar pada perdagangan hari ini.",
                "Analis menilai arah rupiah masih dipengaruhi oleh data ekonomi AS dan ekspektasi kebijakan suku bunga The Fed.",
                "Di dalam negeri, pasar menanti rilis data neraca perdagangan dan cadangan devisa yang dapat menopang nilai tukar.",
                "Untuk perdagangan berikutnya, rupiah diperkirakan bergerak dalam rentang terbatas dengan kecenderungan melemah tipis.",
            ],
        ),
        Topic::Stocks => (
            "JAKARTA",
            "KONTAN",
            "Anna Suci Perwitasari",
            [
                "Indeks Harga Saham Gabungan (IHSG) bergerak fluktuatif sepanjang sesi perdagangan di Bursa Efek Indonesia (BEI).",
                "Investor asing mencatatkan transaksi bersih di pasar reguler, sementara saham-saham perbankan besar menjadi penggerak utama indeks.",
                "Analis menyarankan investor mencermati rilis kinerja emiten dan arah aliran dana asing dalam beberapa hari ke depan.",
                "Sektor energi dan bahan baku tercatat paling aktif, seiring pergerakan harga komoditas di pasar global.",
            ],
        ),
        Topic::Gold => (
            "JAKARTA",
            "KONTAN",
            "Herlina Kartika Dewi",
            [
                "Harga emas batangan Antam di Butik Logam Mulia berubah dibanding hari sebelumnya.",
                "Harga pembelian kembali (buyback) emas Antam juga ikut bergerak searah dengan harga jualnya.",
                "Pergerakan harga emas domestik mengikuti harga emas dunia yang dipengaruhi oleh arah dolar AS dan imbal hasil obligasi.",
                "Pembeli emas batangan dikenai pajak penghasilan sesuai ketentuan, dengan tarif lebih rendah bagi pemilik NPWP.",
            ],
        ),
        Topic::Economy => (
            "JAKARTA",
            "KONTAN",
            "Noverius Laoli",
            [
                "Pemerintah dan otoritas keuangan terus memantau perkembangan ekonomi domestik di tengah ketidakpastian global.",
                "Sejumlah ekonom menilai konsumsi rumah tangga masih menjadi penopang utama pertumbuhan ekonomi tahun ini.",
                "Kebijakan moneter dan fiskal diharapkan tetap selaras untuk menjaga daya beli masyarakat dan stabilitas harga.",
                "Pelaku usaha berharap kepastian regulasi agar rencana ekspansi dapat berjalan sesuai target.",
            ],
        ),
        Topic::World => (
            "WASHINGTON",
            "Reuters",
            "Barratut Taqiyyah Rafie",
            [
                "Perkembangan terbaru ini menjadi sorotan para pemimpin dunia dan pelaku pasar global.",
                "Sejumlah pihak menyerukan dialog untuk meredakan ketegangan yang berpotensi memengaruhi perdagangan internasional.",
                "Para analis menilai dampaknya terhadap harga komoditas dan arus modal ke negara berkembang masih perlu dicermati.",
                "Perundingan lanjutan dijadwalkan berlangsung dalam beberapa pekan mendatang.",
            ],
        ),
    };
    let mut html = format!(
        "<p>Sumber: <b>{source}</b> | Editor: <b>{editor}</b></p>\n<p>KONTAN.CO.ID - {place}. {}. {}</p>\n",
        escape(title.trim_end_matches('.')),
        lines[0]
    );
    for (n, line) in lines[1..].iter().enumerate() {
        html.push_str(&format!("<p>{line}</p>\n"));
        if let (0, Some((url, related_title))) = (n, related) {
            html.push_str(&format!(
                "<p><strong>Baca Juga: <a class=\"track-bacajuga-inside\" href=\"{}\">{}</a></strong></p>\n",
                escape(url),
                escape(related_title)
            ));
        }
    }
    html
}

/// The caption under the story's picture.
pub fn caption(title: &str) -> String {
    format!("ILUSTRASI. {}. KONTAN/Dok", escape(title))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_story_follows_its_headline() {
        let rupiah = body(
            "Rupiah Dibuka Melemah ke Rp 16.700 per Dolar AS Pagi Ini",
            Some((
                "https://keuangan.kontan.co.id/news/x",
                "Rupiah Ditutup Menguat",
            )),
        );
        assert!(rupiah.contains("Baca Juga: <a class=\"track-bacajuga-inside\" href=\"https://keuangan.kontan.co.id/news/x\">Rupiah Ditutup Menguat</a>"));
        assert!(rupiah.contains("Rupiah Dibuka Melemah ke Rp 16.700 per Dolar AS Pagi Ini."));
        assert!(rupiah.contains("kurs rupiah"));
        assert!(!rupiah.contains("Korea"));
        assert!(body("IHSG Ditutup Menguat", None).contains("Indeks Harga Saham Gabungan"));
        assert!(body("Harga Emas Antam Naik", None).contains("Logam Mulia"));
        assert!(body("<b>", None).contains("&lt;b&gt;"));
    }
}
