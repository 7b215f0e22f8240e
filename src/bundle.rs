//! Bundle: the letters of a batch bound into one print file, every letter starting on an odd
//! page (a blank page follows a letter with an odd number of pages), so that duplex printing
//! never puts two letters on one sheet.
//!
//! No letter is laid out again to bind it. Each letter's PDF becomes a [`Fragment`] once, when
//! the letter is made: its pages and everything they need, renumbered into a range of object
//! numbers reserved for that letter's place in the batch, serialized. Binding is then copying
//! fragments one after another and writing the page tree and the cross-reference table, so
//! rebinding a batch after one letter changed costs little more than copying the file, memory
//! stays flat however many letters there are, and the same letters always give the same bytes.
//!
//! Letters of a batch share much: the same seal image, and for most faces the same font (the
//! heading, the title and the signature read alike in every letter). An object that is not a
//! page and refers only to such objects (a font program, its descriptor, an image and its mask,
//! a page's contents) is keyed by what it holds and what it refers to, and is written once: a
//! later letter's identical object is left out and the references to it are pointed at the
//! first. A fragment records where those references sit, so binding patches digits in place
//! instead of parsing.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;

use anyhow::{Context as _, bail};
use lopdf::{Dictionary, Document, Object, ObjectId, Writer};

/// Object numbers reserved for each letter.
pub(crate) const STRIDE: u32 = 4096;
/// Letters whose ranges fit under the largest object number readers accept (8 388 607).
pub(crate) const MAX_LETTERS: usize = 2000;
/// The page tree, the catalog and the document information dictionary.
const PAGES: u32 = 1;
const CATALOG: u32 = 2;
const INFO: u32 = 3;

/// The first object number of letter `index`.
pub(crate) fn base(index: usize) -> u32 {
    4 + index as u32 * STRIDE
}

/// One letter, ready to bind: its objects serialized with their numbers, and its pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fragment {
    /// Its page objects, blank page included, in order.
    pub pages: Vec<u32>,
    /// Each object's number and offset in `bytes`.
    pub objects: Vec<(u32, u32)>,
    /// The objects the print file may share with other letters, each with its key (the hash of
    /// what it holds and of the keys of what it refers to), by number.
    pub shared: Vec<(u32, [u8; 16])>,
    /// Where in `bytes` a reference to one of `shared` is written: the offset of its object
    /// number's digits, and that number.
    pub sites: Vec<(u32, u32)>,
    /// The serialized objects.
    pub bytes: Vec<u8>,
}

/// Rewrites every reference inside `object` through `map`.
fn renumber(object: &mut Object, map: &BTreeMap<ObjectId, u32>) {
    match object {
        Object::Reference(id) => {
            if let Some(new) = map.get(id) {
                *id = (*new, 0);
            }
        }
        Object::Array(items) => items.iter_mut().for_each(|o| renumber(o, map)),
        Object::Dictionary(d) => d.iter_mut().for_each(|(_, o)| renumber(o, map)),
        Object::Stream(s) => s.dict.iter_mut().for_each(|(_, o)| renumber(o, map)),
        _ => {}
    }
}

/// The objects a page needs (resources, contents, fonts…), not its parent or the document's
/// structure tree.
fn reachable(doc: &Document, pages: &[ObjectId]) -> BTreeSet<ObjectId> {
    fn refs(object: &Object, out: &mut Vec<ObjectId>, page: bool) {
        match object {
            Object::Reference(id) => out.push(*id),
            Object::Array(items) => items.iter().for_each(|o| refs(o, out, false)),
            Object::Dictionary(d) => {
                for (k, v) in d.iter() {
                    if !(page && (k == b"Parent" || k == b"StructParents")) {
                        refs(v, out, false);
                    }
                }
            }
            Object::Stream(s) => s.dict.iter().for_each(|(_, v)| refs(v, out, false)),
            _ => {}
        }
    }
    let mut seen: BTreeSet<ObjectId> = BTreeSet::new();
    let mut todo: Vec<ObjectId> = Vec::new();
    for &p in pages {
        seen.insert(p);
        if let Ok(o) = doc.get_object(p) {
            refs(o, &mut todo, true);
        }
    }
    while let Some(id) = todo.pop() {
        if !seen.insert(id) {
            continue;
        }
        if let Ok(o) = doc.get_object(id) {
            let mut more = Vec::new();
            refs(o, &mut more, false);
            todo.extend(more);
        }
    }
    seen
}

fn serialize(out: &mut Vec<u8>, id: u32, object: &Object) -> anyhow::Result<()> {
    writeln!(out, "{id} 0 obj")?;
    Writer::write_object(out, object).context("无法写出 PDF 对象")?;
    out.extend_from_slice(b"\nendobj\n");
    Ok(())
}

/// The object numbers `object` refers to.
fn refs_of(object: &Object, out: &mut Vec<u32>) {
    match object {
        Object::Reference(id) => out.push(id.0),
        Object::Array(items) => items.iter().for_each(|o| refs_of(o, out)),
        Object::Dictionary(d) => d.iter().for_each(|(_, o)| refs_of(o, out)),
        Object::Stream(s) => s.dict.iter().for_each(|(_, o)| refs_of(o, out)),
        _ => {}
    }
}

/// The objects other letters may share: not pages, and referring only to such objects. In an
/// order where every object comes after the ones it refers to.
fn shareable(objects: &BTreeMap<u32, Object>, pages: &[u32]) -> Vec<u32> {
    let mut order: Vec<u32> = Vec::new();
    let mut done: BTreeSet<u32> = BTreeSet::new();
    loop {
        let before = order.len();
        for (id, object) in objects {
            if done.contains(id) || pages.contains(id) {
                continue;
            }
            let mut refs = Vec::new();
            refs_of(object, &mut refs);
            if refs.iter().all(|r| done.contains(r)) {
                done.insert(*id);
                order.push(*id);
            }
        }
        if order.len() == before {
            return order;
        }
    }
}

/// `n` with every digit changed and as many digits: `object` written with such numbers in place
/// of its references differs from itself exactly where those references' numbers are.
fn other_digits(n: u32) -> u32 {
    let digits: String = n
        .to_string()
        .chars()
        .map(|c| if c == '1' { '2' } else { '1' })
        .collect();
    digits.parse().expect("digits")
}

/// Whether `object` refers to any of `targets`.
fn points_at(object: &Object, targets: &BTreeSet<u32>) -> bool {
    match object {
        Object::Reference(id) => targets.contains(&id.0),
        Object::Array(items) => items.iter().any(|o| points_at(o, targets)),
        Object::Dictionary(d) => d.iter().any(|(_, o)| points_at(o, targets)),
        Object::Stream(s) => s.dict.iter().any(|(_, o)| points_at(o, targets)),
        _ => false,
    }
}

/// Rewrites the references to `targets` inside `object` through [`other_digits`].
fn twist(object: &mut Object, targets: &BTreeSet<u32>) {
    match object {
        Object::Reference(id) if targets.contains(&id.0) => id.0 = other_digits(id.0),
        Object::Array(items) => items.iter_mut().for_each(|o| twist(o, targets)),
        Object::Dictionary(d) => d.iter_mut().for_each(|(_, o)| twist(o, targets)),
        Object::Stream(s) => s.dict.iter_mut().for_each(|(_, o)| twist(o, targets)),
        _ => {}
    }
}

/// The spans of `a` and `b` (as long as each other) where they differ: each is a number.
fn differing_runs(a: &[u8], b: &[u8]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < a.len() {
        if a[i] == b[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i < a.len() && a[i] != b[i] {
            i += 1;
        }
        runs.push((start, i));
    }
    runs
}

/// Where `written` (`object` serialized as number `id`) refers to one of `share`: the offset of
/// each such reference's number, and the number.
fn sites(
    written: &[u8],
    id: u32,
    object: &Object,
    share: &BTreeSet<u32>,
) -> anyhow::Result<Vec<(usize, u32)>> {
    if !points_at(object, share) {
        return Ok(Vec::new());
    }
    let mut twisted = object.clone();
    twist(&mut twisted, share);
    let mut other = Vec::new();
    serialize(&mut other, id, &twisted)?;
    if other.len() != written.len() {
        bail!("无法定位 PDF 对象 {id} 中的引用");
    }
    differing_runs(written, &other)
        .into_iter()
        .map(|(a, b)| {
            std::str::from_utf8(&written[a..b])
                .ok()
                .and_then(|t| t.parse().ok())
                .filter(|t| share.contains(t))
                .map(|target| (a, target))
                .with_context(|| format!("无法定位 PDF 对象 {id} 中的引用"))
        })
        .collect()
}

/// The key of the object written at `body` of `bytes`: what it holds, with the references at
/// `sites` standing for the keys of what they refer to (found before, in `keys`).
fn key(
    bytes: &[u8],
    body: std::ops::Range<usize>,
    sites: &[(u32, u32)],
    keys: &BTreeMap<u32, [u8; 16]>,
) -> [u8; 16] {
    let mut hasher = blake3::Hasher::new();
    let mut at = body.start;
    for (site, target) in sites {
        hasher.update(&bytes[at..*site as usize]);
        hasher.update(&keys[target]);
        at = *site as usize + target.to_string().len();
    }
    hasher.update(&bytes[at..body.end]);
    hasher.finalize().as_bytes()[..16]
        .try_into()
        .expect("16 bytes")
}

impl Fragment {
    /// The fragment of a letter's PDF, its objects numbered from `first`.
    ///
    /// # Errors
    /// When the PDF cannot be read, or needs more than [`STRIDE`] objects.
    pub(crate) fn from_pdf(pdf: &[u8], first: u32) -> anyhow::Result<Fragment> {
        let doc = Document::load_mem(pdf).context("无法读取公文的 PDF 文件")?;
        let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
        if pages.is_empty() {
            bail!("公文的 PDF 文件中没有页面");
        }
        let keep = reachable(&doc, &pages);
        if keep.len() + 1 > STRIDE as usize {
            bail!("一份公文的 PDF 对象超过 {STRIDE} 个");
        }
        let map: BTreeMap<ObjectId, u32> = keep
            .iter()
            .enumerate()
            .map(|(i, id)| (*id, first + i as u32))
            .collect();
        let mut objects: BTreeMap<u32, Object> = BTreeMap::new();
        for id in &keep {
            let Ok(object) = doc.get_object(*id) else {
                continue;
            };
            let mut object = object.clone();
            renumber(&mut object, &map);
            if pages.contains(id)
                && let Object::Dictionary(d) = &mut object
            {
                d.set("Parent", Object::Reference((PAGES, 0)));
                d.remove(b"StructParents");
            }
            objects.insert(map[id], object);
        }
        let mut f = Fragment {
            pages: pages.iter().map(|p| map[p]).collect(),
            objects: Vec::new(),
            shared: Vec::new(),
            sites: Vec::new(),
            bytes: Vec::new(),
        };
        let order = shareable(&objects, &f.pages);
        let share: BTreeSet<u32> = order.iter().copied().collect();
        // Each object's bytes after its `N 0 obj` line, and its sites, for its key.
        let mut bodies: BTreeMap<u32, (std::ops::Range<usize>, std::ops::Range<usize>)> =
            BTreeMap::new();
        for (id, object) in &objects {
            let start = f.bytes.len();
            f.objects.push((*id, start as u32));
            serialize(&mut f.bytes, *id, object)?;
            let first_site = f.sites.len();
            for (at, target) in sites(&f.bytes[start..], *id, object, &share)? {
                f.sites.push(((start + at) as u32, target));
            }
            let body = start + id.to_string().len() + " 0 obj\n".len();
            bodies.insert(*id, (body..f.bytes.len(), first_site..f.sites.len()));
        }
        let mut keys: BTreeMap<u32, [u8; 16]> = BTreeMap::new();
        for id in &order {
            let (body, sites) = bodies[id].clone();
            let key = key(&f.bytes, body, &f.sites[sites], &keys);
            keys.insert(*id, key);
        }
        f.shared = keys.into_iter().collect();
        if pages.len() % 2 == 1 {
            let last = doc.get_dictionary(*pages.last().expect("pages"))?;
            let media = last.get(b"MediaBox").cloned().unwrap_or_else(|_| {
                Object::Array(vec![0.into(), 0.into(), 595.276.into(), 841.89.into()])
            });
            let mut blank = Dictionary::new();
            blank.set("Type", Object::Name(b"Page".to_vec()));
            blank.set("Parent", Object::Reference((PAGES, 0)));
            blank.set("MediaBox", media);
            blank.set("Resources", Object::Dictionary(Dictionary::new()));
            let id = first + keep.len() as u32;
            f.objects.push((id, f.bytes.len() as u32));
            serialize(&mut f.bytes, id, &Object::Dictionary(blank))?;
            f.pages.push(id);
        }
        Ok(f)
    }

    /// The fragment as a file, tagged with the letter's fingerprint.
    pub(crate) fn encode(&self, fingerprint: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.bytes.len() + 64 + 8 * self.objects.len());
        out.extend_from_slice(b"GWFRAG3\n");
        out.extend_from_slice(fingerprint.as_bytes());
        out.push(b'\n');
        let mut put = |n: u32| out.extend_from_slice(&n.to_le_bytes());
        put(self.pages.len() as u32);
        self.pages.iter().for_each(|p| put(*p));
        put(self.objects.len() as u32);
        self.objects.iter().for_each(|(id, off)| {
            put(*id);
            put(*off);
        });
        put(self.sites.len() as u32);
        self.sites.iter().for_each(|(at, target)| {
            put(*at);
            put(*target);
        });
        put(self.shared.len() as u32);
        for (id, key) in &self.shared {
            out.extend_from_slice(&id.to_le_bytes());
            out.extend_from_slice(key);
        }
        out.extend_from_slice(&self.bytes);
        out
    }

    /// The fragment in a file written by [`Fragment::encode`] for `fingerprint`, if it is one.
    pub(crate) fn decode(file: &[u8], fingerprint: &str) -> Option<Fragment> {
        let rest = file.strip_prefix(b"GWFRAG3\n")?;
        let rest = rest
            .strip_prefix(fingerprint.as_bytes())?
            .strip_prefix(b"\n")?;
        let mut at = 0usize;
        let mut take = || -> Option<u32> {
            let n = u32::from_le_bytes(rest.get(at..at + 4)?.try_into().ok()?);
            at += 4;
            Some(n)
        };
        let np = take()?;
        let pages = (0..np).map(|_| take()).collect::<Option<Vec<u32>>>()?;
        let no = take()?;
        let objects = (0..no)
            .map(|_| Some((take()?, take()?)))
            .collect::<Option<Vec<(u32, u32)>>>()?;
        let ns = take()?;
        let sites = (0..ns)
            .map(|_| Some((take()?, take()?)))
            .collect::<Option<Vec<(u32, u32)>>>()?;
        let nl = take()?;
        let mut shared = Vec::new();
        for _ in 0..nl {
            let id = take()?;
            let mut key = [0u8; 16];
            for chunk in key.chunks_mut(4) {
                chunk.copy_from_slice(&take()?.to_le_bytes());
            }
            shared.push((id, key));
        }
        let bytes = rest.get(at..)?.to_vec();
        // A file cut short (a power cut before the cache reached the disk) is not a fragment.
        let site_holds = |(off, target): &(u32, u32)| {
            let digits = target.to_string();
            bytes.get(*off as usize..*off as usize + digits.len()) == Some(digits.as_bytes())
        };
        let whole = objects.iter().all(|(_, off)| (*off as usize) < bytes.len())
            && sites.iter().all(site_holds)
            && bytes.ends_with(b"endobj\n");
        if !whole {
            return None;
        }
        Some(Fragment {
            pages,
            objects,
            shared,
            sites,
            bytes,
        })
    }
}

/// Writes the print file: `fragments` (read one at a time) one after another, then the page
/// tree, the catalog, the document information and the cross-reference table.
///
/// # Errors
/// When a fragment cannot be had, fragments overlap, or writing fails.
pub(crate) fn bind(
    out: &mut dyn Write,
    fragments: impl Iterator<Item = anyhow::Result<Fragment>>,
    title: &str,
) -> anyhow::Result<()> {
    let mut binder = Binder::start(out)?;
    for fragment in fragments {
        binder.add(fragment?)?;
    }
    binder.finish(title)
}

/// The print file as it is written.
struct Binder<'a> {
    out: &'a mut dyn Write,
    /// Bytes written so far.
    pos: u64,
    /// Where each object starts.
    offsets: BTreeMap<u32, u64>,
    /// Every page, in order.
    kids: Vec<Object>,
    /// A hash of the objects written, for the file's ID.
    ids_hash: blake3::Hasher,
    /// The object first written for each shared object's key.
    first: HashMap<[u8; 16], u32>,
}

impl<'a> Binder<'a> {
    /// Writes the PDF header.
    fn start(out: &'a mut dyn Write) -> anyhow::Result<Binder<'a>> {
        let mut binder = Binder {
            out,
            pos: 0,
            offsets: BTreeMap::new(),
            kids: Vec::new(),
            ids_hash: blake3::Hasher::new(),
            first: HashMap::new(),
        };
        binder.emit(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")?;
        Ok(binder)
    }

    fn emit(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        self.out.write_all(bytes)?;
        self.pos += bytes.len() as u64;
        Ok(())
    }

    /// Writes a fragment's objects and takes its pages; a shared object written before (by an
    /// earlier letter) is left out and the references to it point to the first.
    fn add(&mut self, mut f: Fragment) -> anyhow::Result<()> {
        let alias = self.aliases(&f.shared);
        for (at, target) in &f.sites {
            if let Some(shared) = alias.get(target) {
                // The shared object came first, so its number has no more digits than this one.
                let width = target.to_string().len();
                let digits = format!("{shared:>width$}");
                let at = *at as usize;
                f.bytes[at..at + width].copy_from_slice(digits.as_bytes());
            }
        }
        for (k, (id, off)) in f.objects.iter().enumerate() {
            let end = f.objects.get(k + 1).map_or(f.bytes.len(), |n| n.1 as usize);
            if alias.contains_key(id) {
                continue;
            }
            if self.offsets.insert(*id, self.pos).is_some() {
                bail!("整批打印文件中对象编号 {id} 重复");
            }
            let bytes = &f.bytes[*off as usize..end];
            self.ids_hash.update(bytes);
            self.emit(bytes)?;
        }
        self.kids
            .extend(f.pages.iter().map(|p| Object::Reference((*p, 0))));
        Ok(())
    }

    /// The fragment's shared objects already written, each to the object first written.
    fn aliases(&mut self, shared: &[(u32, [u8; 16])]) -> HashMap<u32, u32> {
        let mut alias = HashMap::new();
        for (id, key) in shared {
            match self.first.entry(*key) {
                Entry::Occupied(e) => {
                    alias.insert(*id, *e.get());
                }
                Entry::Vacant(e) => {
                    e.insert(*id);
                }
            }
        }
        alias
    }

    /// Writes the page tree, the catalog, the document information, the cross-reference table
    /// and the trailer.
    fn finish(mut self, title: &str) -> anyhow::Result<()> {
        let mut tail = Vec::new();
        let mut pages = Dictionary::new();
        pages.set("Type", Object::Name(b"Pages".to_vec()));
        pages.set("Count", Object::Integer(self.kids.len() as i64));
        pages.set("Kids", Object::Array(std::mem::take(&mut self.kids)));
        let mut catalog = Dictionary::new();
        catalog.set("Type", Object::Name(b"Catalog".to_vec()));
        catalog.set("Pages", Object::Reference((PAGES, 0)));
        let mut info = Dictionary::new();
        info.set("Title", lopdf::text_string(title));
        info.set("Producer", lopdf::text_string("gongwen"));
        for (id, object) in [(PAGES, pages), (CATALOG, catalog), (INFO, info)] {
            self.offsets.insert(id, self.pos + tail.len() as u64);
            serialize(&mut tail, id, &Object::Dictionary(object))?;
        }
        let start = self.pos + tail.len() as u64;
        write_xref(&mut tail, &self.offsets)?;
        let id = Object::String(
            self.ids_hash.finalize().as_bytes()[..16].to_vec(),
            lopdf::StringFormat::Hexadecimal,
        );
        let mut trailer = Dictionary::new();
        let last = self.offsets.keys().next_back().copied().unwrap_or(0);
        trailer.set("Size", Object::Integer(i64::from(last + 1)));
        trailer.set("Root", Object::Reference((CATALOG, 0)));
        trailer.set("Info", Object::Reference((INFO, 0)));
        trailer.set("ID", Object::Array(vec![id.clone(), id]));
        tail.extend_from_slice(b"trailer\n");
        Writer::write_object(&mut tail, &Object::Dictionary(trailer))?;
        write!(tail, "\nstartxref\n{start}\n%%EOF\n")?;
        self.out.write_all(&tail)?;
        Ok(())
    }
}

/// The cross-reference table of the objects at `offsets`, consecutive numbers in one section.
fn write_xref(tail: &mut Vec<u8>, offsets: &BTreeMap<u32, u64>) -> anyhow::Result<()> {
    tail.extend_from_slice(b"xref\n0 1\n0000000000 65535 f \n");
    let ids: Vec<u32> = offsets.keys().copied().collect();
    let mut i = 0;
    while i < ids.len() {
        let first = ids[i];
        let mut n = 1;
        while i + n < ids.len() && ids[i + n] == first + n as u32 {
            n += 1;
        }
        writeln!(tail, "{first} {n}")?;
        for id in &ids[i..i + n] {
            writeln!(tail, "{:010} 00000 n ", offsets[id])?;
        }
        i += n;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PDF of `n` pages, each showing `label`.
    fn pdf(n: usize, label: &str) -> Vec<u8> {
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let mut kids = Vec::new();
        for i in 0..n {
            let content = lopdf::Stream::new(
                Dictionary::new(),
                format!("BT /F1 12 Tf 72 700 Td ({label} {i}) Tj ET").into_bytes(),
            );
            let content_id = doc.add_object(content);
            let mut page = Dictionary::new();
            page.set("Type", Object::Name(b"Page".to_vec()));
            page.set("Parent", Object::Reference(pages_id));
            page.set("Contents", Object::Reference(content_id));
            page.set(
                "MediaBox",
                Object::Array(vec![0.into(), 0.into(), 595.into(), 842.into()]),
            );
            kids.push(Object::Reference(doc.add_object(page)));
        }
        let mut pages = Dictionary::new();
        pages.set("Type", Object::Name(b"Pages".to_vec()));
        pages.set("Count", Object::Integer(n as i64));
        pages.set("Kids", Object::Array(kids));
        doc.objects.insert(pages_id, Object::Dictionary(pages));
        let mut catalog = Dictionary::new();
        catalog.set("Type", Object::Name(b"Catalog".to_vec()));
        catalog.set("Pages", Object::Reference(pages_id));
        let catalog_id = doc.add_object(catalog);
        doc.trailer.set("Root", Object::Reference(catalog_id));
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        bytes
    }

    fn page_texts(bytes: &[u8]) -> Vec<String> {
        let doc = Document::load_mem(bytes).unwrap();
        doc.get_pages()
            .into_values()
            .map(|p| {
                let content = doc.get_page_content(p);
                String::from_utf8_lossy(&content).into_owned()
            })
            .collect()
    }

    fn bound(letters: &[Vec<u8>]) -> Vec<u8> {
        let mut out = Vec::new();
        let fragments = letters
            .iter()
            .enumerate()
            .map(|(i, l)| Fragment::from_pdf(l, base(i)));
        bind(&mut out, fragments, "批量").unwrap();
        out
    }

    #[test]
    fn every_letter_starts_on_an_odd_page() {
        let letters = [pdf(3, "A"), pdf(2, "B"), pdf(1, "C")];
        let bytes = bound(&letters);
        let pages = page_texts(&bytes);
        assert_eq!(pages.len(), 4 + 2 + 2);
        assert!(pages[0].contains("(A 0)") && pages[2].contains("(A 2)") && pages[3].is_empty());
        assert!(pages[4].contains("(B 0)") && pages[6].contains("(C 0)") && pages[7].is_empty());
        assert_eq!(bytes, bound(&letters), "same letters, same bytes");
    }

    #[test]
    fn a_changed_letter_changes_only_its_fragment_and_fragments_round_trip() {
        let a = Fragment::from_pdf(&pdf(2, "A"), base(0)).unwrap();
        let b = Fragment::from_pdf(&pdf(2, "B"), base(1)).unwrap();
        let b2 = Fragment::from_pdf(&pdf(4, "B2"), base(1)).unwrap();
        assert!(
            b.objects
                .iter()
                .all(|(id, _)| *id >= base(1) && *id < base(2))
        );
        let encoded = b2.encode("fp");
        assert_eq!(Fragment::decode(&encoded, "fp"), Some(b2.clone()));
        assert_eq!(
            Fragment::decode(&encoded, "other"),
            None,
            "a stale fragment is not used"
        );
        assert_eq!(
            Fragment::decode(&encoded[..encoded.len() - 3], "fp"),
            None,
            "a fragment cut short is not used"
        );
        let mut out = Vec::new();
        bind(&mut out, [Ok(a.clone()), Ok(b2)].into_iter(), "批量").unwrap();
        let pages = page_texts(&out);
        assert_eq!(pages.len(), 2 + 4);
        assert!(pages[2].contains("(B2 0)"));
        let mut overlap = Vec::new();
        assert!(bind(&mut overlap, [Ok(a.clone()), Ok(a)].into_iter(), "x").is_err());
    }

    #[test]
    fn a_stream_the_letters_share_is_written_once() {
        let letters = [pdf(2, "A"), pdf(2, "A"), pdf(2, "B")];
        let bytes = bound(&letters);
        let doc = Document::load_mem(&bytes).unwrap();
        let streams = doc
            .objects
            .values()
            .filter(|o| matches!(o, Object::Stream(_)))
            .count();
        assert_eq!(
            streams,
            2 + 2,
            "the second letter's contents are the first's"
        );
        let pages = page_texts(&bytes);
        assert_eq!(pages.len(), 6);
        assert!(pages[2].contains("(A 0)") && pages[3].contains("(A 1)"));
        assert!(pages[4].contains("(B 0)"));
        let second: Vec<ObjectId> = doc.get_pages().into_values().skip(2).take(2).collect();
        for p in second {
            let contents = doc.get_dictionary(p).unwrap().get(b"Contents").unwrap();
            let id = contents.as_reference().unwrap();
            assert!(
                id.0 < base(1),
                "pointed at the first letter's stream: {id:?}"
            );
        }
        assert_eq!(bytes, bound(&letters), "same letters, same bytes");
        let fragment = Fragment::from_pdf(&letters[1], base(1)).unwrap();
        assert_eq!(fragment.shared.len(), 2);
        assert_eq!(fragment.sites.len(), 2);
        let mut encoded = fragment.encode("fp");
        assert_eq!(Fragment::decode(&encoded, "fp"), Some(fragment.clone()));
        let (at, target) = fragment.sites[0];
        let digits = target.to_string();
        let at = encoded.len() - fragment.bytes.len() + at as usize;
        encoded[at..at + digits.len()].fill(b'9');
        assert_eq!(
            Fragment::decode(&encoded, "fp"),
            None,
            "a fragment whose references moved is not used"
        );
    }
}
