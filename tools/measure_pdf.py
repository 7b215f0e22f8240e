#!/usr/bin/env python3
"""Independent GB/T 9704-2012 measurement of a 公文 PDF.

Reads the PDF file alone (pdfplumber for text and vector data, pypdfium2 --
which pdfplumber brings along -- to rasterise small regions when the *ink*
edge of a glyph is needed).  It uses none of gongwen's code or Typst.

    python3 tools/measure_pdf.py FILE.pdf [--format 文件|信函] [--json]

Prints one row per measured clause: id, name, measured value, expected value,
tolerance and PASS / FAIL (INFO / WARN / SKIP rows are informative).  Exit
status 1 when any row FAILs, 2 on a usage error.

Conventions
  * Lengths are in mm from the paper's top-left corner (pdfplumber's y runs
    down from the page top).  1 pt = 25.4/72 mm.
  * "em box" = pdfplumber's char top/bottom: baseline + font descriptor
    descent, one font size tall.  "ink" = rendered pixels (600 dpi, 50 %
    coverage threshold).
  * 版心: x 28..184 mm, y 37..262 mm (GB/T 9704 §5.2.1).

Requires: pip install pdfplumber
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import unicodedata
from collections import Counter, defaultdict

try:
    import pdfplumber
    import pypdfium2 as pdfium
    from PIL import ImageChops
except ImportError as e:  # pragma: no cover
    sys.exit(f"measure_pdf.py needs pdfplumber (pip install pdfplumber): {e}")

PT = 25.4 / 72.0            # mm per pt
MM = 72.0 / 25.4            # pt per mm

A4_W, A4_H = 210.0, 297.0
LEFT, RIGHT = 28.0, 184.0   # 版心 x (mm)
TOP, BOTTOM = 37.0, 262.0   # 版心 y (mm)
BODY_SIZE = 16.0            # 3号
NOTE_SIZE = 14.0            # 4号
TITLE_SIZE = 22.0           # 2号
ZI = 156.0 / 28             # one 字 on the 28-per-line grid (mm)
DPI = 600

CJK_HEAD1 = re.compile(r"^[一二三四五六七八九十]+、")
CJK_HEAD2 = re.compile(r"^（[一二三四五六七八九十]+）")
PAGENUM = re.compile(r"^—\s*(\d+)\s*—$")
# characters that must not begin a line (used only to diagnose 27-char lines)
NO_LINE_START = set("，。、；：？！）》」』】〕”’…—·%")
NO_LINE_END = set("（《「『【〔“‘")


def mm(v):
    return v * PT


def fmt(v, nd=2):
    return f"{v:.{nd}f}"


def base_font(name):
    """Font name without the 6-letter subset tag."""
    return re.sub(r"^[A-Z]{6}\+", "", name or "")


def colour_str(c):
    if c is None:
        return "none"
    if isinstance(c, (int, float)):
        c = (c,)
    try:
        c = tuple(float(x) for x in c)
    except (TypeError, ValueError):
        return str(c)
    g = lambda x: f"{x:g}"
    if len(c) == 1:
        return f"Gray({g(c[0])})"
    if len(c) == 3:
        return "RGB(" + ",".join(g(x) for x in c) + ")"
    if len(c) == 4:
        return "CMYK(" + ",".join(g(x) for x in c) + ")"
    return str(c)


def to_rgb(c):
    if c is None:
        return None
    if isinstance(c, (int, float)):
        c = (c,)
    try:
        c = tuple(float(x) for x in c)
    except (TypeError, ValueError):
        return None
    if len(c) == 1:
        return (c[0],) * 3
    if len(c) == 3:
        return c
    if len(c) == 4:
        C, M, Y, K = c
        return ((1 - C) * (1 - K), (1 - M) * (1 - K), (1 - Y) * (1 - K))
    return None


def is_red(c):
    rgb = to_rgb(c)
    return rgb is not None and rgb[0] > 0.6 and rgb[1] < 0.5 and rgb[2] < 0.5


def is_black(c):
    rgb = to_rgb(c)
    return rgb is not None and max(rgb) < 0.25


def is_std_red(c):
    """CMYK 0/80/80/0 (GB/T 9704 §6.2) or its naive RGB equivalent #FF3333."""
    if isinstance(c, (int, float)) or c is None:
        return False
    c = tuple(float(x) for x in c)
    if len(c) == 4:
        return all(abs(a - b) <= 0.01 for a, b in zip(c, (0, 0.8, 0.8, 0)))
    if len(c) == 3:
        return all(abs(a - b) <= 0.01 for a, b in zip(c, (1, 0.2, 0.2)))
    return False


def dispw(s):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def pad(s, w):
    return s + " " * max(0, w - dispw(s))


def is_fullwidth_cjk(ch):
    """A character set on a full 1-em advance: CJK ideograph or CJK punctuation."""
    t = ch["text"]
    if len(t) != 1 or ord(t) < 0x2000:
        return False
    return abs((ch["x1"] - ch["x0"]) - ch["size"]) < 0.1


# ---------------------------------------------------------------------------
# Data model
# ---------------------------------------------------------------------------

class Line:
    """Characters sharing one baseline on one page."""

    def __init__(self, chars, page_h):
        self.chars = sorted(chars, key=lambda c: c["x0"])
        self.text = "".join(c["text"] for c in self.chars)
        self.baseline = mm(page_h - statistics.median(c["matrix"][5] for c in self.chars))
        self.top = mm(min(c["top"] for c in self.chars))
        self.bottom = mm(max(c["bottom"] for c in self.chars))
        self.x0 = mm(self.chars[0]["x0"])
        self.x1 = mm(max(c["x1"] for c in self.chars))
        self.size = Counter(round(c["size"], 2) for c in self.chars).most_common(1)[0][0]
        self.font = Counter(c["fontname"] for c in self.chars).most_common(1)[0][0]
        self.red = all(is_red(c.get("non_stroking_color")) for c in self.chars)

    def __repr__(self):
        return f"<Line {self.top:.2f}-{self.bottom:.2f} {self.size} {self.text[:20]}>"


class Rule:
    """A horizontal rule: a thin filled rectangle or a stroked horizontal line."""

    def __init__(self, x0, x1, top, bottom, colour, kind):
        self.x0, self.x1, self.top, self.bottom = mm(x0), mm(x1), mm(top), mm(bottom)
        self.colour, self.kind = colour, kind

    @property
    def width(self):
        return self.x1 - self.x0

    @property
    def thick(self):
        return self.bottom - self.top


class Doc:
    def __init__(self, path):
        self.path = path
        self.pdf = pdfplumber.open(path)
        self.ppdf = pdfium.PdfDocument(path)
        self.pages = self.pdf.pages
        self.n = len(self.pages)
        self.lines = {}
        self.rules = {}
        for i, p in enumerate(self.pages, 1):
            self.lines[i] = self._lines(p)
            self.rules[i] = self._rules(p)

    # -- extraction ---------------------------------------------------------

    def _lines(self, page):
        H = float(page.height)
        chars = [c for c in page.chars if c["text"].strip() and c.get("upright", True)]
        chars.sort(key=lambda c: (H - c["matrix"][5], c["x0"]))
        groups, cur, cur_b = [], [], None
        for c in chars:
            b = H - c["matrix"][5]
            if cur and abs(b - cur_b) > 2.0:
                groups.append(cur)
                cur = []
            if not cur:
                cur_b = b
            cur.append(c)
        if cur:
            groups.append(cur)
        return [Line(g, H) for g in groups]

    def _rules(self, page):
        out = []
        for r in page.rects:
            h = r["bottom"] - r["top"]
            w = r["x1"] - r["x0"]
            if w < 30 * MM or h > 5:
                continue
            if r.get("fill"):
                out.append(Rule(r["x0"], r["x1"], r["top"], r["bottom"],
                                r.get("non_stroking_color"), "rect"))
            elif r.get("stroke"):
                lw = r.get("linewidth") or 0
                out.append(Rule(r["x0"] - lw / 2, r["x1"] + lw / 2, r["top"] - lw / 2,
                                r["bottom"] + lw / 2, r.get("stroking_color"), "rect-stroke"))
        for l in page.lines:
            if abs(l["top"] - l["bottom"]) > 0.5 or (l["x1"] - l["x0"]) < 30 * MM:
                continue
            lw = l.get("linewidth") or 0
            y = (l["top"] + l["bottom"]) / 2
            out.append(Rule(l["x0"], l["x1"], y - lw / 2, y + lw / 2,
                            l.get("stroking_color"), "line"))
        out.sort(key=lambda r: r.top)
        return out

    # -- rendering ------------------------------------------------------------

    def ink(self, pageno, box_mm, dpi=DPI):
        """Ink bounding box (mm, paper coords) inside box_mm = (x0, top, x1, bottom).

        A pixel counts as ink when its darkest channel has at least 50 % of the
        strongest coverage found in the box (so red and black ink are judged
        alike).  Returns None when the box is blank.
        """
        page = self.ppdf[pageno - 1]
        W, H = page.get_size()
        x0, top, x1, bottom = (v * MM for v in box_mm)
        x0, top = max(0.0, x0), max(0.0, top)
        x1, bottom = min(W, x1), min(H, bottom)
        crop = (x0, H - bottom, W - x1, top)
        bmp = page.render(scale=dpi / 72.0, crop=crop, fill_color=(255, 255, 255, 255))
        img = bmp.to_pil().convert("RGB")
        r, g, b = img.split()
        mn = ImageChops.darker(ImageChops.darker(r, g), b)
        lo, hi = mn.getextrema()
        if lo > 200:
            return None
        thr = (255 + lo) / 2.0
        bb = mn.point(lambda v: 255 if v <= thr else 0).getbbox()
        if not bb:
            return None
        px = 72.0 / dpi  # pt per pixel
        return (mm(x0 + bb[0] * px), mm(top + bb[1] * px),
                mm(x0 + bb[2] * px), mm(top + bb[3] * px))

    # -- classification -------------------------------------------------------

    def body_font(self):
        c = Counter()
        for ls in self.lines.values():
            for l in ls:
                for ch in l.chars:
                    if abs(ch["size"] - BODY_SIZE) < 0.05:
                        c[ch["fontname"]] += 1
        return c.most_common(1)[0][0] if c else None

    def pagenum_line(self, p):
        for l in self.lines[p]:
            if l.top > BOTTOM - 1 and PAGENUM.match(l.text):
                return l
        return None

    def text_lines(self, p):
        """Lines inside the 版心 band (page number excluded)."""
        pn = self.pagenum_line(p)
        return [l for l in self.lines[p] if l is not pn]

    def body_lines(self, p):
        return [l for l in self.text_lines(p)
                if abs(l.size - BODY_SIZE) < 0.05 and l.top >= TOP - 2 and l.bottom <= BOTTOM + 2]


# ---------------------------------------------------------------------------
# Report rows
# ---------------------------------------------------------------------------

class Report:
    def __init__(self):
        self.rows = []

    def add(self, rid, name, measured, expected="", tol="", status="INFO", note=""):
        self.rows.append(dict(id=rid, name=name, measured=measured, expected=expected,
                              tol=tol, status=status, note=note))

    def check(self, rid, name, value, expected, tol, unit="mm", nd=2, note="", shown=None):
        ok = value is not None and abs(value - expected) <= tol + 1e-9
        self.add(rid, name, shown if shown is not None else f"{fmt(value, nd)} {unit}",
                 f"{fmt(expected, nd)} {unit}", f"±{tol:g}", "PASS" if ok else "FAIL", note)
        return ok

    @property
    def failed(self):
        return any(r["status"] == "FAIL" for r in self.rows)

    def table(self):
        heads = ["id", "clause", "measured", "expected", "tol", "result"]
        rows = [[r["id"], r["name"], r["measured"], r["expected"], r["tol"], r["status"]]
                for r in self.rows]
        w = [max(dispw(h), *(dispw(x[i]) for x in rows)) if rows else dispw(h)
             for i, h in enumerate(heads)]
        w[2] = min(w[2], 46)
        out = ["  ".join(pad(h, w[i]) for i, h in enumerate(heads)),
               "  ".join("-" * w[i] for i in range(len(heads)))]
        for r, x in zip(self.rows, rows):
            out.append("  ".join(pad(v, w[i]) for i, v in enumerate(x)).rstrip())
            if r["note"]:
                out.append(" " * (w[0] + 2) + "↳ " + r["note"])
        n = Counter(r["status"] for r in self.rows)
        out.append("")
        out.append(", ".join(f"{n[k]} {k}" for k in ("PASS", "FAIL", "WARN", "INFO", "SKIP") if n[k]))
        return "\n".join(out)


def pages_str(ps):
    ps = sorted(ps)
    if not ps:
        return "none"
    out, s, prev = [], ps[0], ps[0]
    for p in ps[1:] + [None]:
        if p is not None and p == prev + 1:
            prev = p
            continue
        out.append(f"{s}" if s == prev else f"{s}–{prev}")
        if p is not None:
            s = prev = p
    return ",".join(out)


def rng(vals, nd=2):
    lo, hi = min(vals), max(vals)
    return fmt(lo, nd) if abs(hi - lo) < 10 ** -nd else f"{fmt(lo, nd)}–{fmt(hi, nd)}"


# ---------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------

def measure(doc: Doc, fmt_arg: str | None) -> tuple[Report, str]:
    R = Report()
    p1_rules = doc.rules[1]
    red_rules1 = [r for r in p1_rules if is_red(r.colour)]
    auto = "信函" if any(abs(r.width - 170) < 3 for r in red_rules1) else "文件"
    form = fmt_arg or auto
    R.add("0", "format", form, note=("auto-detected" if not fmt_arg else
                                     f"given; auto-detection says {auto}"))
    xinhan = form == "信函"

    body_font = doc.body_font()
    last_body = max((p for p in range(1, doc.n + 1) if any(
        l.font == body_font for l in doc.body_lines(p))), default=doc.n)
    pitches = []

    # ---- 1. paper size ---------------------------------------------------------
    sizes = []
    for p in doc.pages:
        w, h = mm(float(p.width)), mm(float(p.height))
        if w > h:
            w, h = h, w
        sizes.append((w, h))
    bad = [i + 1 for i, (w, h) in enumerate(sizes) if abs(w - A4_W) > 0.5 or abs(h - A4_H) > 0.5]
    ws, hs = [s[0] for s in sizes], [s[1] for s in sizes]
    R.add("1", "paper size (all pages)", f"{rng(ws)} × {rng(hs)} mm", "210 × 297 mm", "±0.5",
          "FAIL" if bad else "PASS", f"not A4: pages {pages_str(bad)}" if bad else f"{doc.n} pages")

    # ---- 2. body text area -------------------------------------------------------
    lefts, lefts_i, rights, bad_l, bad_r, over = [], [], [], [], [], []
    for p in range(1, doc.n + 1):
        ls = [l for l in doc.text_lines(p) if l.bottom <= BOTTOM + 2 and not (l.red and l.size > 30)]
        if not ls:
            continue
        l_min = min(ls, key=lambda l: l.x0)
        r_max = max(ls, key=lambda l: l.x1)
        left, right = l_min.x0, r_max.x1
        if left < LEFT - 0.005:
            ink = doc.ink(p, (l_min.x0 - 2, l_min.top, l_min.x0 + 10, l_min.bottom))
            left_i = ink[0] if ink else left
            lefts_i.append(left_i)
            if left_i < LEFT - 0.005:
                bad_l.append(p)
        if right > RIGHT + 0.005:
            worst = None
            for l in ls:
                if l.x1 > RIGHT + 0.005:
                    ink = doc.ink(p, (l.x1 - 12, l.top - 1, l.x1 + 3, l.bottom + 1))
                    if ink and (worst is None or ink[2] > worst):
                        worst = ink[2]
                    if ink and ink[2] > RIGHT + 0.005:
                        over.append(f"p{p} “…{l.text[-6:]}” em {l.x1:.2f} ink {ink[2]:.2f}")
            right_i = worst if worst is not None else right
            rights.append(right_i)
            if right_i > RIGHT + 0.005:
                bad_r.append(p)
        else:
            rights.append(right)
        lefts.append(left)
    R.add("2a", "body left edge, min over pages",
          f"em box {min(lefts):.2f} mm" + (f", ink {min(lefts_i):.2f} mm" if lefts_i else ""),
          "≥ 28.00 mm", "0", "FAIL" if bad_l else "PASS",
          (f"left of 订口 on pages {pages_str(bad_l)}; " if bad_l else "")
          + ("em box left of 28 (e.g. a line-initial bracket set on half an em, its blank half in the "
             "margin); judged on ink"
             if lefts_i else ""))
    em_r = max(max(l.x1 for l in doc.text_lines(p) if l.bottom <= BOTTOM + 2 and not (l.red and l.size > 30))
               for p in range(1, doc.n + 1) if doc.text_lines(p))
    R.add("2b", "body right edge, max over pages", f"ink {max(rights):.2f} mm, em box {em_r:.2f} mm",
          "≤ 184.00 mm", "0", "FAIL" if bad_r else "PASS",
          (f"ink beyond 184 on pages {pages_str(bad_r)}, {len(over)} lines, e.g. {'; '.join(over[:2])}; "
           if bad_r else "")
          + ("em boxes reach past 184 (line-final punctuation set on half an em, or the last glyph's "
             "advance shortened by the negative tracking); judged on ink" if em_r > RIGHT + 0.005 else ""))

    # Inner body pages: neither the first nor the last body page.  One that holds
    # fewer than 22 lines and whose next page starts a new block (indented
    # paragraph, heading, 落款 ...) ended early on purpose (a block kept
    # together): reported as WARN and left out of 2d/2e.  Fewer than 22 lines
    # with the paragraph running on to the next page, or more than 22: FAIL.
    inner = [p for p in range(2, last_body) if doc.pages[p - 1].width < doc.pages[p - 1].height]
    if not inner:
        R.add("2c", "lines per full body page", "no inner body page", "22", "", "SKIP",
              "needs a page that is neither the first nor the last body page")
    else:
        counts, firsts, lasts, short_ok = {}, {}, {}, []
        for p in list(inner):
            bl = doc.body_lines(p)
            if not bl:                          # e.g. a page holding only a table or an image
                inner.remove(p)
                continue
            counts[p] = len(bl)
            firsts[p] = bl[0].top
            lasts[p] = bl[-1].bottom
            bs = [l.baseline for l in bl]
            pitches += [b - a for a, b in zip(bs, bs[1:])]
            nb = doc.body_lines(p + 1)
            cont = bool(nb) and abs(nb[0].x0 - LEFT) < 0.3 and not CJK_HEAD1.match(nb[0].text)
            if len(bl) < 22 and not cont:
                short_ok.append(p)
            elif len(bl) < 22 and p + 1 == last_body and len(nb) <= 5:
                # The page was shortened so that the last lines of the paragraph go over with
                # the 落款 (GB/T 9704 §7.3.5.5: the 落款 never stands alone on a page).
                short_ok.append(p)
        full = [p for p in inner if p not in short_ok]
        badc = [p for p in full if counts[p] != 22]
        if full:
            R.add("2c", "16-pt lines on full body pages", ", ".join(f"p{p}:{counts[p]}" for p in full)
                  if len(set(counts[p] for p in full)) > 1 else f"{counts[full[0]]} (pages {pages_str(full)})",
                  "22", "0", "FAIL" if badc else "PASS",
                  ("not 22 lines on pages " + pages_str(badc) + " (the text runs on to the next page)")
                  if badc else "")
            badf = [p for p in full if abs(firsts[p] - TOP) > 1]
            R.add("2d", "first line top (em box), full pages", f"{rng([firsts[p] for p in full])} mm",
                  "37.00 mm", "±1", "FAIL" if badf else "PASS", f"off on pages {pages_str(badf)}" if badf else "")
            badl = [p for p in full if abs(lasts[p] - BOTTOM) > 1]
            R.add("2e", "last line bottom (em box), full pages", f"{rng([lasts[p] for p in full])} mm",
                  "262.00 mm", "±1", "FAIL" if badl else "PASS", f"off on pages {pages_str(badl)}" if badl else "")
        if short_ok:
            R.add("2g", "inner body pages ending early", ", ".join(f"p{p}:{counts[p]} lines, last bottom "
                                                            f"{lasts[p]:.2f}" for p in short_ok),
                  "22 lines", "", "WARN",
                  "the next page starts a new block (paragraph, heading or 落款) that was moved down whole")
    if pitches:
        pm = statistics.median(pitches)
        R.add("2f", "line pitch (median baseline step)", f"{pm * MM:.2f} pt = {pm:.3f} mm",
              "(225 mm − 16 pt)/21 = 29.61 pt", "", "INFO",
              f"range {min(pitches) * MM:.2f}–{max(pitches) * MM:.2f} pt")
    pitch = statistics.median(pitches) if pitches else (225 - 16 * PT) / 21

    # ---- 3. characters per full line ---------------------------------------------------
    # A justified full line of pure full-width CJK text.  "raw" counts characters
    # (+ whole-character first-line indent).  "effective" counts a punctuation mark
    # set on half an em (标点挤压: an adjacent pair such as 》（, an opening bracket
    # hung half into the margin, a line-final mark) as ½.  A line passes when
    # either count is 28.
    nominal = 156.0 * MM / 28
    raw_d, eff_d = Counter(), Counter()
    short, kinsoku, runb, steps, ncomp, halfem = [], 0, 0, [], 0, 0
    flat = [(p, l) for p in range(1, last_body + 1) for l in doc.body_lines(p) if l.font == body_font]
    if True:
        for i, (p, l) in enumerate(flat):
            if l.x1 < RIGHT - 0.5 or any(ord(c["text"]) < 0x80 for c in l.chars):
                continue
            if not all(is_fullwidth_cjk(c) for c in l.chars):
                continue
            frac = (l.x0 - LEFT) / ZI
            xs = [c["x0"] for c in l.chars]
            w = [1.0] * len(xs)
            if abs(frac - round(frac)) <= 0.25:
                indent = round(frac)
            elif abs(frac - (int(frac // 1) + 0.5)) <= 0.25:
                indent = round(frac + 0.5)      # first mark hangs half an em left
                w[0] = 0.5
            else:
                continue
            if any(b - a > 1.3 * nominal for a, b in zip(xs, xs[1:])):
                continue                        # a space between two characters
            for k in range(len(xs) - 1):
                if xs[k + 1] - xs[k] < 0.75 * nominal:
                    w[k] = 0.5
            if xs[-1] > RIGHT * MM - 0.75 * nominal:
                w[-1] = 0.5                     # line-final mark on half an em
            raw = len(xs) + indent
            eff = sum(w) + indent
            raw_d[raw] += 1
            eff_d[eff] += 1
            if any(x < 1 for x in w):
                ncomp += 1
            if raw == 28 and indent == 0 and all(x == 1 for x in w):
                steps.append((xs[-1] - xs[0]) / 27)
            if raw != 28 and eff != 28:
                short.append(f"p{p} “{l.text[:8]}…” raw {raw} eff {eff:g}")
                nxt = flat[i + 1][1].text if i + 1 < len(flat) else ""
                if (len(nxt) > 1 and nxt[1] in NO_LINE_START) or (nxt and nxt[0] in NO_LINE_END):
                    kinsoku += 1
                elif eff == 27.5 and any(x < 1 for x in w):
                    halfem += 1                 # compressed punctuation leaves half an em: full
                else:
                    # an advance wider than the line's usual one (by ≥ 0.15 pt): a
                    # text-run boundary (e.g. bold) set without the negative tracking
                    adv = [b - a for a, b in zip(xs, xs[1:])]
                    med = statistics.median(adv)
                    if any(0.15 < a - med < 0.5 * nominal for a in adv):
                        runb += 1
    if not raw_d:
        R.add("3", "chars per full justified line", "no pure-CJK full line", "28", "", "SKIP")
    else:
        tot = sum(raw_d.values())
        d = ("raw " + ", ".join(f"{k}×{v}" for k, v in sorted(raw_d.items(), reverse=True))
             + "; eff " + ", ".join(f"{k:g}×{v}" for k, v in sorted(eff_d.items(), reverse=True)))
        note = f"{tot} lines, {ncomp} with half-em punctuation"
        if short:
            note += (f"; {len(short)} lines hold neither 28 chars nor 28 effective "
                     f"(e.g. {'; '.join(short[:3])}); {kinsoku} of them are 禁则 breaks: the next line starts "
                     f"with char + closing punctuation or with an opening bracket, so the 28th char "
                     f"was carried down and the line stretched; {runb} contain one advance wider than "
                     f"the rest (a text-run boundary, e.g. at 粗 bold, set without the negative tracking: "
                     f"28 × (16 pt − tracking) must fit 442.20 pt); {halfem} are full at 27.5 because "
                     f"compressed punctuation leaves half an em that no character fits; "
                     f"{len(short) - kinsoku - runb - halfem} other")
        # gongwen's rule (docs/conformance.md): 28 per full line; a line shortened by 禁则 or by
        # a half-em left over from punctuation compression is justified to full width instead.
        unexplained = len(short) - kinsoku - halfem
        R.add("3", "chars per justified full line (indent counted)", d,
              "28 (禁则 / half-em lines justified)", "0", "FAIL" if unexplained else "PASS", note)
        if steps:
            R.add("3b", "char pitch on plain 28-char lines", f"{statistics.median(steps):.3f} pt",
                  "442.20/28 = 15.793 pt", "", "INFO")

    # ---- 4. 发文机关标志 ----------------------------------------------------------------
    red_chars = [c for c in doc.pages[0].chars if c["text"].strip() and is_red(c.get("non_stroking_color"))]
    mark = None
    if red_chars:
        big = max(c["size"] for c in red_chars)
        mark = [c for c in red_chars if abs(c["size"] - big) < 0.05]
    if not mark:
        R.add("4", "发文机关标志", "no red text on page 1", "", "", "SKIP")
        mark_ink = None
    else:
        box = (mm(min(c["x0"] for c in mark)) - 2, mm(min(c["top"] for c in mark)) - 2,
               mm(max(c["x1"] for c in mark)) + 2, mm(max(c["bottom"] for c in mark)) + 2)
        mark_ink = doc.ink(1, box)
        exp = 30.0 if xinhan else 72.0
        R.check("4a", "标志 ink top from paper top", mark_ink[1], exp, 1.0,
                note=f"em-box top {mm(min(c['top'] for c in mark)):.2f} mm; "
                     f"{''.join(c['text'] for c in sorted(mark, key=lambda c: c['x0']))!r}, "
                     f"{mark[0]['size']:.2f} pt, {base_font(mark[0]['fontname'])}")
        R.check("4b", "标志 ink centre x (居中 in 版心)", (mark_ink[0] + mark_ink[2]) / 2, 106.0, 1.0,
                note=f"ink {mark_ink[0]:.2f}–{mark_ink[2]:.2f} mm, width {mark_ink[2] - mark_ink[0]:.2f} mm")
        cols = Counter(colour_str(c.get("non_stroking_color")) for c in mark)
        ok = all(is_std_red(c.get("non_stroking_color")) for c in mark)
        R.add("4c", "标志 fill colour", ", ".join(cols), "CMYK(0,0.8,0.8,0) or RGB(1,0.2,0.2)", "0.01",
              "PASS" if ok else "FAIL")

    # page-1 text elements
    p1 = doc.text_lines(1)
    zihao = next((l for l in p1 if "〔" in l.text and "号" in l.text), None)
    title = [l for l in p1 if abs(l.size - TITLE_SIZE) < 0.3 and not l.red]

    # ---- 5. 版头 red rule (文件) -----------------------------------------------------------
    if not xinhan:
        rr = [r for r in red_rules1 if r.width > 100]
        if not rr:
            R.add("5", "版头 red rule", "none found on page 1", "156 mm red rule", "", "FAIL" if mark else "SKIP")
            rule = None
        else:
            rule = rr[0]
            R.check("5a", "版头 rule length", rule.width, 156.0, 1.0,
                    note=f"{rule.kind}, colour {colour_str(rule.colour)}")
            R.check("5b", "版头 rule left x", rule.x0, 28.0, 1.0)
            R.check("5c", "版头 rule right x", rule.x1, 184.0, 1.0)
            if zihao:
                zi_ink = doc.ink(1, (zihao.x0 - 1, zihao.top - 1, zihao.x1 + 1, zihao.bottom + 2))
                R.check("5d", "rule top − 发文字号 line bottom (em box)", rule.top - zihao.bottom, 4.0, 1.0,
                        note=f"发文字号 em bottom {zihao.bottom:.2f}, rule top {rule.top:.2f}; "
                             f"from ink bottom {rule.top - zi_ink[3]:.2f} mm")
            else:
                R.add("5d", "rule below 发文字号", "no 发文字号 (〔…〕…号) line found", "4 mm", "", "SKIP")
            R.add("5e", "版头 rule thickness", f"{rule.thick:.3f} mm ({rule.thick * MM:.2f} pt)",
                  "not specified", "", "INFO", f"rule y {rule.top:.2f}–{rule.bottom:.2f} mm")
        # 发文字号 / 签发人 placement
        sign = next((l for l in p1 if "签发人" in l.text), None)
        if zihao:
            # the 发文字号 run: from its first char up to and including “号”
            t = zihao.text
            end = t.find("号", t.find("〕")) + 1
            run = zihao.chars[:end]
            zx0, zx1 = mm(run[0]["x0"]), mm(run[-1]["x1"])
            if sign:
                R.check("5f", "上行文 发文字号 left x (居左空一字)", zx0, LEFT + ZI, 1.0)
                names_right = max(l.x1 for l in p1 if sign.top - 1 <= l.top <= zihao.top + 1)
                R.check("5g", "签发人 right x (居右空一字)", names_right, RIGHT - ZI, 1.0)
            else:
                R.check("5f", "发文字号 centre x (居中)", (zx0 + zx1) / 2, 106.0, 1.0)
            if mark_ink:
                first = sign if sign else zihao
                gap = (first.top - mark_ink[3]) / pitch
                R.add("5h", "标志 ink bottom → first 字号/签发人 line top",
                      f"{first.top - mark_ink[3]:.2f} mm = {gap:.2f} lines", "2 blank lines", "",
                      "INFO", "standard: 2 blank lines (空二行) below the 标志")

    # ---- 6. 信函 double rules -----------------------------------------------------------------
    if xinhan:
        rr = [r for r in red_rules1 if r.width > 100]
        R.add("6", "信函 red rules on page 1", f"{len(rr)} rules", "4 (two double rules)", "0",
              "PASS" if len(rr) == 4 else "FAIL",
              "; ".join(f"y {r.top:.2f}–{r.bottom:.2f} t={r.thick:.3f} mm" for r in rr))
        upper = [r for r in rr if r.top < A4_H / 2]
        lower = [r for r in rr if r.top >= A4_H / 2]
        for nm, grp, thick_first in (("upper", upper, True), ("lower", lower, False)):
            if not grp:
                R.add("6", f"{nm} double rule", "missing", "", "", "FAIL")
                continue
            x0, x1 = min(r.x0 for r in grp), max(r.x1 for r in grp)
            R.check(f"6{nm[0]}1", f"{nm} double rule length", x1 - x0, 170.0, 1.0,
                    note=f"x {x0:.2f}–{x1:.2f} mm (centred on paper: 20–190)")
            R.check(f"6{nm[0]}2", f"{nm} double rule left x", x0, 20.0, 1.0)
            thick = [r.thick for r in grp]
            order_ok = len(grp) == 2 and ((thick[0] > thick[1]) == thick_first)
            R.add(f"6{nm[0]}3", f"{nm} rule pair y / thickness",
                  " | ".join(f"{r.top:.2f}–{r.bottom:.2f} ({r.thick:.3f} mm)" for r in grp),
                  "thick above, thin below" if thick_first else "thin above, thick below", "",
                  "PASS" if order_ok else "FAIL")
        if upper and mark_ink:
            R.check("6u4", "upper rule top − 标志 ink bottom", upper[0].top - mark_ink[3], 4.0, 1.0,
                    note=f"标志 ink bottom {mark_ink[3]:.2f}, rule top {upper[0].top:.2f}")
        if lower:
            R.check("6l4", "lower rule bottom from paper top", lower[-1].bottom, 277.0, 1.0,
                    note="20 mm above the paper bottom")
        if zihao and upper:
            R.check("6z1", "发文字号 em top − upper rule bottom", zihao.top - upper[-1].bottom, 14 * PT, 1.0,
                    note="7/8 × 3号 = 14 pt")
            R.check("6z2", "发文字号 right x (顶格 at 版心 right)", zihao.x1, RIGHT, 0.5)
        R.add("6p", "page 1 number", "present" if doc.pagenum_line(1) else "absent", "absent", "",
              "FAIL" if doc.pagenum_line(1) else "PASS")

    # ---- 7. page numbers --------------------------------------------------------------------------
    present = {p: doc.pagenum_line(p) for p in range(1, doc.n + 1)}
    numbered = [p for p, l in present.items() if l]
    missing = [p for p, l in present.items() if not l]
    expected_missing = set(range(last_body + 1, doc.n + 1))
    if xinhan:
        expected_missing.add(1)
    R.add("7a", "pages without a number", pages_str(missing), pages_str(expected_missing), "",
          "PASS" if set(missing) == expected_missing else "FAIL",
          f"last page with body text: {last_body}; expected unnumbered = "
          + ("page 1 (信函) + " if xinhan else "") + "pages after the body (blank / 版记-only)")
    if numbered:
        wrong = [p for p in numbered if int(PAGENUM.match(present[p].text).group(1)) != p]
        R.add("7b", "number = physical page", "ok" if not wrong else f"wrong on {pages_str(wrong)}",
              "— N — on page N (U+2014)", "", "FAIL" if wrong else "PASS",
              "e.g. " + repr("".join(c["text"] for c in doc.pages[numbered[0] - 1].chars
                                     if abs(c["top"] - present[numbered[0]].chars[0]["top"]) < 1)))
        szs = [c["size"] for p in numbered for c in present[p].chars]
        R.add("7c", "page number size", f"{rng(szs)} pt", "14 pt", "±0.1",
              "PASS" if all(abs(s - 14) <= 0.1 for s in szs) else "FAIL")
        fonts = Counter(base_font(c["fontname"]) for p in numbered for c in present[p].chars)
        songok = all(re.search(r"song|sun|宋", f, re.I) for f in fonts)
        R.add("7d", "page number font", ", ".join(fonts), "Song (宋体) face", "",
              "PASS" if songok else "FAIL")
        inks, inkb, ems, dig = {}, {}, {}, {}
        for p in numbered:
            l = present[p]
            d = l.chars[0]
            ik = doc.ink(p, (mm(d["x0"]) - 0.5, mm(d["top"]) - 2, mm(d["x1"]) + 0.5, mm(d["bottom"]) + 2))
            inks[p], inkb[p] = (ik[1], ik[3]) if ik else (float("nan"), float("nan"))
            ems[p] = l.top
            dd = [c for c in l.chars if c["text"].isdigit()]
            if dd:
                dig[p] = doc.ink(p, (mm(dd[0]["x0"]) - 0.5, mm(dd[0]["top"]) - 2, mm(dd[-1]["x1"]) + 0.5,
                                     mm(dd[0]["bottom"]) + 2))
        badv = [p for p in numbered if not abs(inks[p] - (BOTTOM + 7)) <= 1]
        R.add("7e", "一字线 (dash) ink top", f"{rng(list(inks.values()))} mm", "269.00 mm (版心 bottom + 7)",
              "±1", "FAIL" if badv else "PASS",
              f"dash ink {rng(list(inks.values()))}–{rng(list(inkb.values()))} mm; "
              f"em-box top {rng(list(ems.values()))} mm; digit ink top {rng([v[1] for v in dig.values()])}, "
              f"bottom {rng([v[3] for v in dig.values()])} mm"
              + (f"; off on pages {pages_str(badv)}" if badv else ""))
        odd = [p for p in numbered if p % 2 == 1]
        even = [p for p in numbered if p % 2 == 0]
        if odd:
            v = {p: present[p].x1 for p in odd}
            bad = [p for p in odd if abs(v[p] - (RIGHT - 14 * PT)) > 1]
            inkr = [doc.ink(p, (present[p].x1 - 6, present[p].top - 1, present[p].x1 + 2, present[p].bottom + 1))[2]
                    for p in odd]
            R.add("7f", f"odd pages right edge (pp {pages_str(odd)})", f"{rng(list(v.values()))} mm",
                  f"{RIGHT - 14 * PT:.2f} mm (184 − 14 pt)", "±1", "FAIL" if bad else "PASS",
                  f"em box; ink right {rng(inkr)} mm" + (f"; off on {pages_str(bad)}" if bad else ""))
        if even:
            v = {p: present[p].x0 for p in even}
            bad = [p for p in even if abs(v[p] - (LEFT + 14 * PT)) > 1]
            inkl = [doc.ink(p, (present[p].x0 - 2, present[p].top - 1, present[p].x0 + 6, present[p].bottom + 1))[0]
                    for p in even]
            R.add("7g", f"even pages left edge (pp {pages_str(even)})", f"{rng(list(v.values()))} mm",
                  f"{LEFT + 14 * PT:.2f} mm (28 + 14 pt)", "±1", "FAIL" if bad else "PASS",
                  f"em box; ink left {rng(inkl)} mm" + (f"; off on {pages_str(bad)}" if bad else ""))
    else:
        R.add("7b", "page numbers", "none found", "— N —", "", "FAIL")

    # ---- 8. 版记 ---------------------------------------------------------------------------------
    last = doc.n
    blk = [r for r in doc.rules[last] if is_black(r.colour) and abs(r.width - 156) <= 1]
    notes = [l for l in doc.text_lines(last) if abs(l.size - NOTE_SIZE) < 0.05 and l.top < BOTTOM + 1]
    if not xinhan and not blk and not notes:
        R.add("8a", "版记", "no 版记 (no 156-mm black rule, no 14-pt text) on the last page", "版记 with rules",
              "", "SKIP")
    elif not xinhan:
        if len(blk) < 2:
            R.add("8a", "版记 rules on last page", f"{len(blk)} rules of 156 mm", "≥ 2", "", "FAIL")
        else:
            th = [r.thick for r in blk]
            exp = [0.35] + [0.25] * (len(blk) - 2) + [0.35]
            ok = all(abs(a - b) <= 0.05 + 1e-9 for a, b in zip(th, exp))
            R.add("8a", "版记 rule thicknesses (top→bottom)", " / ".join(f"{t:.3f}" for t in th) + " mm",
                  " / ".join(f"{e:.2f}" for e in exp) + " mm", "±0.05", "PASS" if ok else "FAIL",
                  "; ".join(f"y {r.top:.2f}–{r.bottom:.2f} x {r.x0:.2f}–{r.x1:.2f} ({r.kind})" for r in blk))
            R.check("8b", "last 版记 rule bottom", blk[-1].bottom, BOTTOM, 1.0, note="版心 bottom edge")
        R.add("8c", "last page (版记 page) number", f"{last} ({'even' if last % 2 == 0 else 'odd'})", "even",
              "", "PASS" if last % 2 == 0 else "FAIL")
    else:
        R.add("8a", "信函 版记 rules", f"{len(blk)}", "0 (信函: no 版记 rules)", "0",
              "PASS" if not blk else "FAIL")
        if notes:
            nl = notes[-1]
            ok = nl.bottom <= BOTTOM + 0.05 and nl.top >= BOTTOM - pitch - 0.05
            R.add("8b", "信函 版记 in the last line of the 版心",
                  f"em box {nl.top:.2f}–{nl.bottom:.2f} mm", f"within {BOTTOM - pitch:.2f}–{BOTTOM:.2f} mm",
                  "", "PASS" if ok else "FAIL", f"{nl.text[:20]!r} on page {last}; 1 line = {pitch:.2f} mm")
    if notes:
        ns = [c["size"] for l in notes for c in l.chars]
        nf = Counter(base_font(c["fontname"]) for l in notes for c in l.chars)
        R.add("8d", "版记 text size / face", f"{rng(ns)} pt, {', '.join(nf)}", "14 pt 仿宋", "±0.1",
              "PASS" if all(abs(s - 14) <= 0.1 for s in ns) and all(re.search("fang|仿宋", f, re.I) for f in nf)
              else "FAIL")
        cc = next((l for l in notes if l.text.startswith("抄送")), None)
        if cc:
            R.check("8e", "抄送 left x (左空一字)", cc.x0, LEFT + 14 * PT, 1.0, note="one 4号 char = 4.94 mm")
    else:
        R.add("8d", "版记 text", "no 14-pt text on last page", "", "", "SKIP")

    # Was a page added for the 版记 only when needed?  The 版记 goes on the last
    # body page when it fits there (and, 文件格式, that page is even); else on the
    # next page (文件: the next even page, blank pages in between).
    if last < doc.n or last_body < last:
        end = max(l.bottom for l in doc.body_lines(last_body) if l.font == body_font)
        free = BOTTOM - end
        if not xinhan and len(blk) >= 2:
            need = blk[-1].bottom - blk[0].top
        elif notes:
            need = len(notes) * pitch
        else:
            need = None
        if need is not None:
            fits_surely = free >= need + pitch      # fits even with a blank line above it
            fits_maybe = free >= need
            if xinhan:
                exp = {last_body} if fits_surely else ({last_body, last_body + 1} if fits_maybe
                                                       else {last_body + 1})
            else:
                nxt_even = last_body + 1 if last_body % 2 else last_body + 2
                if last_body % 2:
                    exp = {nxt_even}
                elif fits_surely:
                    exp = {last_body}
                elif fits_maybe:
                    exp = {last_body, nxt_even}
                else:
                    exp = {nxt_even}
            R.add("8f", "版记 page", f"page {last} (body ends p{last_body}, {free:.1f} mm free below it)",
                  "page " + " or ".join(str(e) for e in sorted(exp)), "",
                  "PASS" if last in exp else "FAIL",
                  f"版记 needs {need:.1f} mm (+1 blank line {pitch:.1f} mm)"
                  + ("; 文件: 版记 on an even page" if not xinhan else ""))

    # ---- 9. title -----------------------------------------------------------------------------
    if not title:
        R.add("9", "title", "no 22-pt text on page 1", "22 pt", "", "FAIL")
    else:
        ts = [c["size"] for l in title for c in l.chars]
        R.add("9a", "title size", f"{rng(ts)} pt ({len(title)} lines)", "22 pt", "±0.1",
              "PASS" if all(abs(s - 22) <= 0.1 for s in ts) else "FAIL",
              "".join(l.text for l in title))
        tf = Counter(base_font(c["fontname"]) for l in title for c in l.chars)
        okf = all(re.search(r"xiaobiaosong|小标宋|FandolSong-Bold", f, re.I) for f in tf)
        R.add("9b", "title font", ", ".join(tf), "小标宋 (stand-in FandolSong-Bold)", "",
              "PASS" if okf else "FAIL")
        t0 = title[0]
        if not xinhan and red_rules1 and [r for r in red_rules1 if r.width > 100]:
            rule = [r for r in red_rules1 if r.width > 100][0]
            d = t0.top - rule.bottom
            R.check("9c", "版头 rule bottom → title em top, in lines", d / pitch, 2.0, 0.5, unit="lines",
                    shown=f"{d:.2f} mm = {d / pitch:.2f} lines",
                    note=f"1 line = pitch {pitch:.2f} mm; 2 lines = {2 * pitch:.2f} mm")
        elif xinhan and zihao:
            # §10.1: the title stands two lines below the last element above it (the 发文字号, or
            # 份号/密级/紧急程度 when they run onto further lines under the rule).
            above = [l for l in doc.text_lines(1) if zihao.top - 0.5 <= l.top and l.bottom <= t0.top]
            last = max(above, key=lambda l: l.bottom) if above else zihao
            d = t0.top - last.bottom
            R.check("9c", "last element under the rule → title em top, in lines", d / pitch, 2.0, 0.5,
                    unit="lines", shown=f"{d:.2f} mm = {d / pitch:.2f} lines",
                    note=f"from “{last.text[:12]}”; 1 line = pitch {pitch:.2f} mm; 信函: title 2 lines "
                         "below the element above")
        below = [l for l in doc.body_lines(1) if l.top > title[-1].bottom and l.font == body_font]
        R.add("9d", "body text on page 1", f"{len(below)} body lines below the title", "≥ 1", "",
              "PASS" if below else "FAIL")

    # ---- 10. faces ----------------------------------------------------------------------------
    R.add("10a", "body face (most common 16-pt font)", base_font(body_font), "仿宋 (FandolFang stand-in)", "",
          "PASS" if body_font and re.search("fang|仿宋", body_font, re.I) else "FAIL")
    h1, h2, signer = Counter(), Counter(), Counter()
    for p in range(1, doc.n + 1):
        for l in doc.body_lines(p):
            cj = [c for c in l.chars if ord(c["text"]) > 0x2E80]
            if CJK_HEAD1.match(l.text):
                h1.update(base_font(c["fontname"]) for c in cj)
            elif CJK_HEAD2.match(l.text):
                h2.update(base_font(c["fontname"]) for c in cj)
    for rid, nm, cnt, pat, exp in (("10b", "一、 heading face", h1, "hei|黑体", "黑体 (FandolHei)"),
                                   ("10c", "（一） heading face", h2, "kai|楷", "楷体 (FandolKai)")):
        if not cnt:
            R.add(rid, nm, "no such heading", exp, "", "SKIP")
        else:
            ok = all(re.search(pat, f, re.I) for f in cnt)
            R.add(rid, nm, ", ".join(f"{f} ×{n}" for f, n in cnt.items()), exp, "", "PASS" if ok else "FAIL")
    sign = next((l for l in doc.text_lines(1) if "签发人" in l.text), None)
    if sign:
        rows = [l for l in doc.text_lines(1) if sign.top - 1 <= l.top <= (zihao.top if zihao else sign.top) + 1]
        for l in rows:
            start = l.text.find("：") + 1 if "签发人" in l.text else 0
            for c in l.chars[start:]:
                if mm(c["x0"]) > 106 and ord(c["text"]) > 0x2E80:
                    signer[base_font(c["fontname"])] += 1
        R.add("10d", "签发人 names face", ", ".join(f"{f} ×{n}" for f, n in signer.items()) or "none found",
              "楷体 (FandolKai)", "", "PASS" if signer and all(re.search("kai|楷", f, re.I) for f in signer)
              else "FAIL")
    allf = Counter()
    noto = defaultdict(str)
    for p in doc.pages:
        for c in p.chars:
            if not c["text"].strip():
                continue
            f = base_font(c["fontname"])
            allf[f"{f} {c['size']:.4g}pt"] += 1
            if "noto" in f.lower():
                noto[f] += c["text"]
    R.add("10e", "all font/size pairs", "; ".join(f"{k} ×{v}" for k, v in allf.most_common()), "", "", "INFO")
    if noto:
        R.add("10f", "Noto fallback glyphs", "; ".join(f"{f}: {len(s)} chars {''.join(sorted(set(s)))[:30]!r}"
                                                        for f, s in noto.items()), "none", "", "WARN",
              "chars missing from the role face were set in the fallback face")
    else:
        R.add("10f", "Noto fallback glyphs", "none", "none", "", "PASS")
    # ---- 11. 落款 not alone on its page (§7.3.5.5: adjust spacing instead) ------------
    date_re = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
    dated = [(p, l) for p in range(1, last_body + 1) for l in doc.body_lines(p)
             if date_re.match(l.text) and l.x0 > 106]
    if dated:
        p, dl = dated[-1]
        bl = doc.body_lines(p)
        i = bl.index(dl)
        sig = bl[i - 1] if i > 0 and bl[i - 1].x0 > 60 and dl.top - bl[i - 1].bottom < 10 else dl
        above = [l for l in bl if l.bottom < sig.top - 0.5 and l.font == body_font]
        R.add("11", "落款 shares its page with body text", f"page {p}: {len(above)} body lines above the 署名",
              "≥ 1", "", "PASS" if above else "FAIL",
              f"署名 “{sig.text}” / date “{dl.text}”" + ("" if above else
              "; the 落款 stands alone on its page (GB/T 9704 §7.3.5.5: adjust spacing instead)"))
    else:
        R.add("11", "落款 (成文日期)", "no right-hand date line found", "", "", "SKIP")

    return R, form


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pdf")
    ap.add_argument("--format", choices=["文件", "信函"], default=None,
                    help="document format (default: detect from the page-1 rules)")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    a = ap.parse_args(argv)
    doc = Doc(a.pdf)
    rep, form = measure(doc, a.format)
    if a.json:
        print(json.dumps(dict(file=a.pdf, format=form, pages=doc.n, failed=rep.failed, rows=rep.rows),
                         ensure_ascii=False, indent=1))
    else:
        print(f"{a.pdf}: {doc.n} pages, format {form}")
        print(rep.table())
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
