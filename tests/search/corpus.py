"""A small store of articles for the search, related-article and reader tests: several publishers and
languages, one story covered three times, and articles that only share words with it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from warta.models import Article, Block, BlockKind, Fetched, Image, Person
from warta.store import Store

WIB = timezone(timedelta(hours=7))
CET = timezone(timedelta(hours=1))
START = datetime(2022, 1, 20, 6, 53, tzinfo=WIB)

PUBLISHERS = {
    "rmol": ("RMOL", "https://rmol.id/"),
    "kompas": ("Kompas", "https://www.kompas.com/"),
    "tempo": ("Tempo", "https://www.tempo.co/"),
    "lemonde": ("Le Monde", "https://www.lemonde.fr/"),
    "apnews": ("AP News", "https://apnews.com/"),
    "asahi": ("朝日新聞", "https://www.asahi.com/"),
    "detik": ("detikcom", "https://news.detik.com/"),
    "antara": ("ANTARA", "https://www.antaranews.com/"),
}

# (publisher, slug, language, hours after START, title, paragraphs)
ARTICLES = [
    ("rmol", "kazakhstan-csto", "id", 0, "Kazakhstan: Pasukan CSTO Mulai Ditarik dari Almaty Setelah Kerusuhan",
     ["Pasukan penjaga perdamaian CSTO mulai ditarik dari Almaty setelah kerusuhan massal di Kazakhstan.",
      "Presiden Tokayev mengatakan situasi di Almaty telah normal dan terkendali."]),
    ("kompas", "csto-tarik-pasukan", "id", 20, "CSTO Tarik Pasukan dari Kazakhstan, Tokayev Sebut Almaty Kondusif",
     ["Aliansi militer CSTO menarik pasukan penjaga perdamaian dari Kazakhstan.",
      "Tokayev menyebut Almaty kondusif setelah pasukan CSTO membantu memulihkan keamanan."]),
    ("tempo", "almaty-pasukan-csto", "id", 40, "Pasukan CSTO Tinggalkan Almaty, Kazakhstan Kembali Tenang",
     ["Pasukan CSTO meninggalkan Almaty dan Kazakhstan kembali tenang menurut Tokayev.",
      "Penarikan pasukan penjaga perdamaian selesai dalam sepuluh hari."]),
    # The same story, two months later: outside the related window.
    ("tempo", "csto-evaluasi", "id", 24 * 60, "Evaluasi Misi Pasukan CSTO di Almaty Kazakhstan",
     ["Dua bulan setelah pasukan CSTO meninggalkan Almaty, Kazakhstan mengevaluasi misi Tokayev."]),
    # Shares only common words with the story.
    ("kompas", "harga-beras", "id", 10, "Harga Beras Naik Setelah Panen Gagal",
     ["Harga beras di pasar naik setelah panen gagal di beberapa daerah.",
      "Pedagang mengatakan situasi pasar belum normal."]),
    ("rmol", "demo-dpr", "id", 5, "Polisi Amankan Demonstran di Depan Gedung DPR",
     ["Polisi mengamankan demonstran yang rusuh di depan gedung DPR pada Rabu sore."]),
    ("lemonde", "ecole-publique", "fr", 3, "L'École publique face à la réforme",
     ["Les enseignants de l'école publique manifestent contre la réforme des retraites."]),
    ("apnews", "election-results", "en", 2, "Kazakhstan's Parliament Election Results Announced",
     ["The election commission announced the results of the parliamentary elections on Sunday."]),
    ("asahi", "tochiji", "ja", 4, "東京都知事選挙の結果",
     ["東京都知事選挙の投票が行われ、現職が再選された。"]),
]  # fmt: skip

# Other news of the same days: the everyday words of Indonesian news ("dari", "dan", "telah", "mulai",
# "situasi", "presiden") are common here, as in any real store, and do not make articles related.
OTHER_NEWS = [
    ("Presiden Resmikan Jalan Tol Baru di Jawa Tengah",
     "Presiden telah meresmikan jalan tol baru dan mengatakan situasi lalu lintas akan normal setelah mudik."),
    ("Timnas Mulai Latihan Jelang Piala Asia",
     "Tim nasional mulai berlatih di Jakarta setelah pelatih memanggil dua puluh pemain dari berbagai klub."),
    ("Harga Cabai Turun Setelah Panen Raya",
     "Harga cabai di pasar tradisional turun dan pedagang mengatakan situasi pasokan telah normal."),
    ("Hujan Deras Sebabkan Banjir di Bekasi",
     "Hujan deras sejak pagi menyebabkan banjir di beberapa perumahan dan warga mulai mengungsi dari rumah."),
    ("Sekolah Tatap Muka Dimulai Kembali",
     "Sekolah di Surabaya mulai menggelar pembelajaran tatap muka setelah situasi pandemi dinyatakan terkendali."),
    ("Bandara Soekarno-Hatta Catat Lonjakan Penumpang",
     "Jumlah penumpang dari bandara meningkat dan pengelola mengatakan layanan telah berjalan normal."),
    ("Presiden Bahas Investasi dengan Pengusaha Jepang",
     "Presiden menerima pengusaha dari Jepang dan membahas investasi di bidang energi dan industri."),
    ("Gempa Magnitudo 5 Guncang Maluku",
     "Gempa mengguncang Maluku pada malam hari dan warga sempat keluar dari rumah sebelum situasi kembali tenang."),
    ("Vaksinasi Booster Mulai Diberikan untuk Lansia",
     "Pemerintah mulai memberikan vaksin booster kepada lansia dan mengatakan stok vaksin telah tersedia."),
    ("Kereta Cepat Jakarta-Bandung Uji Coba Lintasan",
     "Kereta cepat mulai menjalani uji coba lintasan dari Jakarta menuju Bandung setelah pembangunan rampung."),
    ("Nelayan Keluhkan Harga Solar",
     "Nelayan di pesisir utara mengatakan harga solar naik dan situasi melaut belum normal sejak bulan lalu."),
    ("Festival Musik Digelar di Yogyakarta",
     "Festival musik digelar di Yogyakarta dan ribuan penonton datang dari berbagai kota selama dua hari."),
]  # fmt: skip
ARTICLES += [
    ("detik" if i % 2 else "antara", f"berita-{i}", "id", 1 + 3 * i, title, [text])
    for i, (title, text) in enumerate(OTHER_NEWS)
]


def article(publisher: str, slug: str, language: str, hours: int, title: str, paragraphs: list[str]) -> Article:
    home = PUBLISHERS[publisher][1]
    url = f"{home}read/{slug}"
    return Article(
        url=url,
        canonical_url=url,
        title=title,
        authors=(Person("Reni Erina", "reporter", f"{home}about/reni-erina"),),
        published=(START + timedelta(hours=hours)).astimezone(CET if language == "fr" else WIB),
        site_name=PUBLISHERS[publisher][0],
        language=language,
        images=(Image(f"{home}img/{slug}.jpg", "Pasukan CSTO di Almaty", "Net"),),
        body=tuple(Block(BlockKind.PARAGRAPH, text) for text in paragraphs),
        sources=("Euro News",) if publisher == "rmol" else (),
    )


def fill(store: Store, follow: bool = False) -> dict[str, str]:
    """Save the corpus; returns the id of each article by slug."""
    publisher_ids = {key: store.add_publisher(name, home, follow=follow)[0] for key, (name, home) in PUBLISHERS.items()}
    ids: dict[str, str] = {}
    for publisher, slug, *rest in ARTICLES:
        item = article(publisher, slug, *rest)
        at = datetime(2022, 3, 1, tzinfo=UTC)
        fetched = Fetched(item.url or "", item.url or "", 200, (("content-type", "text/html"),), fetched_at=at)
        store.save(item, fetched, publisher_id=publisher_ids[publisher])
        row = store.article(item.url or "")
        assert row is not None
        ids[slug] = row.id
    return ids
