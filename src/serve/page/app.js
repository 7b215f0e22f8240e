// 「公文生成」页面：gongwen serve 的浏览器界面。
// 只用 docs/serve.md 中的接口；不访问网络，不用框架。所有数据都以文本写入页面（textContent），从不用 innerHTML。
'use strict';

(function () {
  // ---------------------------------------------------------------- 工具函数

  function $(id) { return document.getElementById(id); }

  // el('a', {className: 'x', href: '…', dataset: {path: '…'}}, '文字', childNode, …)
  function el(tag, props) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (key) {
        var value = props[key];
        if (value === null || value === undefined || value === false) return;
        if (key === 'className') node.className = value;
        else if (key === 'text') node.textContent = value;
        else if (key === 'dataset') Object.keys(value).forEach(function (k) { node.dataset[k] = value[k]; });
        else if (key === 'hidden') node.hidden = !!value;
        else if (value === true) node.setAttribute(key, '');
        else node.setAttribute(key, String(value));
      });
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function fmtSize(n) {
    if (typeof n !== 'number' || !isFinite(n)) return '';
    if (n < 1024 * 1024) return Math.max(1, Math.round(n / 1024)) + ' KB';
    var mb = n / (1024 * 1024);
    return (mb < 10 ? mb.toFixed(1) : Math.round(mb)) + ' MB';
  }

  function baseName(path) {
    var s = String(path || '');
    var i = s.lastIndexOf('/');
    return i >= 0 ? s.slice(i + 1) : s;
  }

  function outputLabel(o) {
    switch (o.kind) {
      case 'pdf': return '公文 PDF';
      case 'letter': return o.label || baseName(o.path);
      case 'print': return '整批打印文件 PDF';
      case 'xlsx': return '表格 XLSX';
      case 'docx': return '可编辑 DOCX';
      case 'letter-docx': return (o.label || baseName(o.path)) + ' DOCX';
      default: return o.label || baseName(o.path);
    }
  }

  // A batch letter's own files (its PDF and its DOCX) are offered with the letter, not in the row.
  function isLetterFile(o) { return o.kind === 'letter' || o.kind === 'letter-docx'; }

  // The DOCX beside a PDF, when there is one.
  function docxOf(outs, pdf) {
    var want = String(pdf.path).replace(/\.pdf$/i, '.docx');
    return outs.filter(function (o) { return o.path === want; })[0] || null;
  }

  function isPdf(o) { return o && (o.kind === 'pdf' || o.kind === 'letter' || o.kind === 'print'); }

  function severityRank(sev) { return sev === 'error' ? 0 : 1; }

  function severityLabel(sev) { return sev === 'error' ? '错误' : '警告'; }

  function lower(s) { return String(s === null || s === undefined ? '' : s).toLowerCase(); }

  // ---------------------------------------------------------------- 页面状态

  var S = {
    status: null,
    generation: null,
    selected: null,        // 选中的工作簿 path
    pendingSelect: null,   // 上传后要选中、但状态中还没有的工作簿
    firstRender: true,
    tab: 'problems',
    sevFilter: 'all',
    problemText: '',
    wbFilter: '',
    recipientFilter: '',
    tracked: new Map(),    // 工作簿 path → {list: [{key, d, resolved}], checked}
    viewChoice: new Map(), // 工作簿 path → 正在看的输出 path
    outVersions: new Map(),// 输出 path → {sig, v}：文件变了就给图像地址加版本号，避免浏览器用旧图
    zoomMode: 'fit',
    zoom: 1,
    connectionLost: false,
    statusFailed: false,
    projectGeneration: null
  };

  var rows = new Map();    // 工作簿 path → {tr, sig}
  var problemsSig = null;
  var recipientsSig = null;
  var viewerSig = null;
  var viewerDownloadsSig = null;
  var downloadsSig = null;

  // ---------------------------------------------------------------- 读取状态

  var inflight = false;
  var again = false;

  function refresh() {
    if (inflight) { again = true; return; }
    inflight = true;
    (function loop() {
      again = false;
      fetchStatus().then(function () {
        if (again) loop(); else inflight = false;
      });
    })();
  }

  function fetchStatus() {
    return fetch('/api/status', { cache: 'no-store', credentials: 'same-origin' })
      .then(function (res) {
        if (res.status === 401) {
          $('auth-banner').hidden = false;
          throw new Error('401');
        }
        if (!res.ok) throw new Error('HTTP ' + res.status);
        return res.json();
      })
      .then(function (st) {
        $('auth-banner').hidden = true;
        S.statusFailed = false;
        updateConnectionBanner();
        render(st);
      })
      .catch(function (err) {
        if (String(err && err.message) !== '401') {
          S.statusFailed = true;
          updateConnectionBanner();
        }
      });
  }

  function updateConnectionBanner() {
    $('connection-banner').hidden = !(S.connectionLost || S.statusFailed);
  }

  // ---------------------------------------------------------------- 服务器推送

  var source = null;
  var retryTimer = null;

  function connect() {
    if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
    if (typeof EventSource === 'undefined') { setInterval(refresh, 3000); return; }
    source = new EventSource('/api/events');
    source.addEventListener('open', function () {
      S.connectionLost = false;
      updateConnectionBanner();
      refresh();
    });
    source.addEventListener('status', function () { refresh(); });
    source.addEventListener('error', function () {
      S.connectionLost = true;
      updateConnectionBanner();
      // 浏览器一般会自己重连；若连接已被关闭（例如服务器回答了错误），过几秒自己再连。
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        retryTimer = setTimeout(connect, 3000);
      }
    });
  }

  // ---------------------------------------------------------------- 总的渲染

  function render(st) {
    S.status = st;
    var workbooks = Array.isArray(st.workbooks) ? st.workbooks : [];

    // 项目问题、正在生成
    var problem = st.problem;
    $('problem-banner').hidden = problem === null || problem === undefined || problem === '';
    $('problem-text').textContent = problem ? String(problem) : '';
    $('building-indicator').hidden = !st.building;
    var progress = '';
    var building = workbooks.filter(function (w) { return w.progress && w.progress.total; });
    if (building.length === 1) progress = building[0].progress.done + '/' + building[0].progress.total;
    $('building-progress').textContent = progress;

    updateOutputVersions(workbooks);
    var paths = new Set();
    // 「已改正」的记录留着，即使工作簿一时不在状态中（替换文件的一瞬间）。
    workbooks.forEach(function (wb) { paths.add(wb.path); updateTracking(wb); });

    if (S.pendingSelect && paths.has(S.pendingSelect)) {
      select(S.pendingSelect, { tab: 'problems', noRender: true, scroll: true });
      S.pendingSelect = null;
    }
    if (S.firstRender) {
      S.firstRender = false;
      var fromHash = '';
      try { fromHash = decodeURIComponent(location.hash.replace(/^#/, '')); } catch (e) { fromHash = ''; }
      if (!S.selected && fromHash && paths.has(fromHash)) select(fromHash, { noRender: true, scroll: true });
      else if (!S.selected && workbooks.length) select(workbooks[0].path, { noRender: true });
    }

    renderList(workbooks);
    renderDetail();

    if ($('project-info').open && S.projectGeneration !== st.generation) loadProject(st.generation);

    S.generation = st.generation;
    document.body.dataset.generation = String(st.generation);
  }

  function findWorkbook(path) {
    var list = (S.status && S.status.workbooks) || [];
    for (var i = 0; i < list.length; i++) if (list[i].path === path) return list[i];
    return null;
  }

  function select(path, opts) {
    opts = opts || {};
    var changed = S.selected !== path;
    S.selected = path;
    if (opts.tab) S.tab = opts.tab;
    if (changed) {
      S.recipientFilter = '';
      $('recipient-filter').value = '';
      $('viewer-scroll').scrollTop = 0;
      $('problems-scroll').scrollTop = 0;
    }
    try { history.replaceState(null, '', location.pathname + location.search + '#' + encodeURIComponent(path)); } catch (e) { /* 不要紧 */ }
    if (!opts.noRender) {
      applyRowSelection();
      renderDetail();
    }
    if (opts.scroll) {
      var rec = rows.get(path);
      if (rec) rec.tr.scrollIntoView({ block: 'nearest' });
      else setTimeout(function () { var r = rows.get(path); if (r) r.tr.scrollIntoView({ block: 'nearest' }); }, 0);
    }
  }

  // 输出文件变了（生成时间、大小或页数不同）时，页面图像地址加上 &v=…，浏览器才会重新读取。
  function updateOutputVersions(workbooks) {
    workbooks.forEach(function (wb) {
      (wb.outputs || []).forEach(function (o) {
        if (!isPdf(o)) return;
        var sig = [wb.built_at, o.size, o.pages].join('|');
        var rec = S.outVersions.get(o.path);
        if (!rec) S.outVersions.set(o.path, { sig: sig, v: 0 });
        else if (rec.sig !== sig) { rec.sig = sig; rec.v += 1; }
      });
    });
  }

  // ---------------------------------------------------------------- 问题的「已改正」记录

  function diagKey(d) {
    var loc = d.location || {};
    return [d.rule, loc.sheet || '', loc.cell || '', d.message || ''].join('\u0001');
  }

  function updateTracking(wb) {
    var diags = Array.isArray(wb.diagnostics) ? wb.diagnostics : [];
    // 等待生成或刚开始生成时，状态中可能还没有新的检查结果：这时不动已有的记录。
    if (wb.state === 'pending' || (wb.state === 'building' && diags.length === 0)) return;
    var old = S.tracked.get(wb.path);
    var seen = new Map();
    var current = diags.map(function (d) {
      var k = diagKey(d);
      var n = seen.get(k) || 0;
      seen.set(k, n + 1);
      return { key: k + '\u0002' + n, d: d, resolved: false };
    });
    var keys = new Set(current.map(function (x) { return x.key; }));
    var resolved = [];
    if (old) old.list.forEach(function (x) { if (!keys.has(x.key)) resolved.push({ key: x.key, d: x.d, resolved: true }); });
    S.tracked.set(wb.path, { list: current.concat(resolved), checked: true });
  }

  // ---------------------------------------------------------------- 工作簿列表

  function wbSig(wb) {
    return JSON.stringify([wb.name, wb.kind, wb.title, wb.state, wb.state_label, wb.errors, wb.warnings,
      wb.built_at, wb.progress, wb.zip, (wb.outputs || []).map(function (o) { return [o.path, o.kind, o.url, o.size, o.pages, o.label]; })]);
  }

  function stateText(wb) {
    var label = wb.state_label || wb.state || '';
    if (wb.state === 'building' && wb.progress && wb.progress.total) {
      var frac = wb.progress.done + '/' + wb.progress.total;
      if (label.indexOf(frac) < 0) label += ' ' + frac;
    }
    return label;
  }

  function badge(wb) {
    return el('span', { className: 'badge state-' + (wb.state || 'pending'), text: stateText(wb) });
  }

  function countsLine(wb) {
    var e = wb.errors || 0;
    var w = wb.warnings || 0;
    var box = el('div', { className: 'counts' });
    append(box, el('span', { className: e ? 'count-error' : 'count-zero', text: e + ' 个错误' }));
    append(box, el('span', { className: w ? 'count-warning' : 'count-zero', text: w + ' 个警告' }));
    return box;
  }

  function downloadLink(o, className) {
    return el('a', { href: o.url, download: true, className: className || 'dl-link', title: baseName(o.path) },
      el('span', { className: 'dl-label', text: outputLabel(o) }),
      o.size !== undefined && o.size !== null ? [' ', el('span', { className: 'dl-size', text: fmtSize(o.size) })] : null);
  }

  function zipLink(wb, className) {
    return el('a', { href: wb.zip, download: true, className: (className || 'dl-link') + ' dl-zip' },
      el('span', { className: 'dl-label', text: '下载整批公文（ZIP）' }));
  }

  function fillRow(tr, wb) {
    clear(tr);
    tr.dataset.path = wb.path;
    tr.dataset.state = wb.state || '';
    tr.tabIndex = 0;
    tr.className = 'wb-row';

    var outs = wb.outputs || [];
    var letters = outs.filter(function (o) { return o.kind === 'letter'; });
    var links = el('div', { className: 'row-links' });
    outs.forEach(function (o) { if (!isLetterFile(o)) append(links, downloadLink(o, 'row-link')); });
    if (wb.zip) append(links, zipLink(wb, 'row-link'));
    if (letters.length) append(links, el('span', { className: 'row-letters', text: '共 ' + letters.length + ' 份公文' }));
    if (!outs.length && !wb.zip) append(links, el('span', { className: 'row-none', text: '还没有输出文件' }));

    var sub = [wb.kind, wb.title].filter(Boolean).join(' · ');
    append(tr, el('td', { className: 'col-wb' },
      el('div', { className: 'wb-name', text: wb.name || baseName(wb.path) }),
      el('div', { className: 'wb-sub', text: sub || '（未识别文种和标题）' }),
      links));

    append(tr, el('td', { className: 'col-state' }, badge(wb), countsLine(wb),
      el('div', { className: 'wb-time', title: '最近一次生成的时间', text: wb.built_at ? '生成于 ' + wb.built_at : '尚未生成' })));
  }

  function renderList(workbooks) {
    var tbody = $('workbooks');
    var seen = new Set();
    var prev = null;
    workbooks.forEach(function (wb) {
      seen.add(wb.path);
      var rec = rows.get(wb.path);
      if (!rec) { rec = { tr: document.createElement('tr'), sig: null }; rows.set(wb.path, rec); }
      var sig = wbSig(wb);
      if (rec.sig !== sig) { fillRow(rec.tr, wb); rec.sig = sig; }
      rec.tr.dataset.search = lower([wb.name, wb.kind, wb.title, wb.state_label, wb.path].join(' '));
      var want = prev ? prev.nextSibling : tbody.firstChild;
      if (want !== rec.tr) tbody.insertBefore(rec.tr, want);
      prev = rec.tr;
    });
    rows.forEach(function (rec, path) {
      if (!seen.has(path)) { rec.tr.remove(); rows.delete(path); }
    });
    $('workbooks-loading').hidden = true;
    $('workbooks-empty').hidden = workbooks.length > 0;
    var e = 0, w = 0;
    workbooks.forEach(function (wb) { if (wb.state === 'errors') e++; if (wb.state === 'warnings') w++; });
    $('workbook-count').textContent = workbooks.length ? '（' + workbooks.length + ' 个）' : '';
    applyRowSelection();
    applyListFilter();
  }

  function applyRowSelection() {
    rows.forEach(function (rec, path) {
      var on = path === S.selected;
      rec.tr.classList.toggle('selected', on);
      rec.tr.setAttribute('aria-selected', on ? 'true' : 'false');
    });
  }

  function applyListFilter() {
    var q = lower(S.wbFilter.trim());
    var shown = 0;
    rows.forEach(function (rec) {
      var hide = q !== '' && rec.tr.dataset.search.indexOf(q) < 0;
      rec.tr.hidden = hide;
      if (!hide) shown++;
    });
    $('workbooks-nomatch').hidden = !(rows.size > 0 && shown === 0);
  }

  // ---------------------------------------------------------------- 右侧：选中的工作簿

  function renderDetail() {
    var wb = S.selected ? findWorkbook(S.selected) : null;
    var empty = $('detail-empty');
    if (!wb) {
      $('detail').hidden = true;
      empty.hidden = false;
      clear(empty);
      if (S.selected && S.status) {
        append(empty, el('p', { className: 'empty-title', text: '这个工作簿已不在 input/ 中' }));
        append(empty, el('p', { text: '「' + baseName(S.selected) + '」可能已被移走或改名。请在左侧选择其他工作簿。' }));
      } else if (S.status && !(S.status.workbooks || []).length) {
        append(empty, el('p', { className: 'empty-title', text: '还没有工作簿' }));
        append(empty, el('p', { text: '点击「添加工作簿…」或把 Excel 文件拖到本页面上；没有现成的工作簿，可以先「新建空白工作簿」下载填写。' }));
      } else {
        append(empty, el('p', { className: 'empty-title', text: '请在左侧选择一个工作簿' }));
        append(empty, el('p', { text: '选中后可以查看检查出的问题、生成的公文页面和下载文件。' }));
      }
      problemsSig = recipientsSig = viewerSig = viewerDownloadsSig = downloadsSig = null;
      return;
    }
    empty.hidden = true;
    $('detail').hidden = false;

    $('detail-title').textContent = wb.title || wb.name || baseName(wb.path);
    var b = $('detail-badge');
    b.className = 'badge state-' + (wb.state || 'pending');
    b.textContent = stateText(wb);
    $('detail-name').textContent = wb.name || baseName(wb.path);
    $('detail-kind').textContent = wb.kind ? '文种：' + wb.kind : '文种：未识别';
    $('detail-time').textContent = wb.built_at ? '生成时间：' + wb.built_at : '尚未生成';

    var n = (wb.errors || 0) + (wb.warnings || 0);
    var tc = $('tab-problems-count');
    tc.textContent = n ? String(n) : '';
    tc.className = 'tab-count' + (wb.errors ? ' has-error' : wb.warnings ? ' has-warning' : '');

    renderTabs();
    renderProblems(wb);
    renderPages(wb);
    renderDownloads(wb);
  }

  function renderTabs() {
    ['problems', 'pages', 'downloads'].forEach(function (name) {
      var on = S.tab === name;
      var tab = $('tab-' + name);
      tab.setAttribute('aria-selected', on ? 'true' : 'false');
      tab.tabIndex = on ? 0 : -1;
      $('panel-' + name).hidden = !on;
    });
    if (S.tab === 'pages') requestAnimationFrame(applyZoom);
  }

  // ---------------------------------------------------------------- 问题表

  function problemSearchText(x) {
    var d = x.d;
    var loc = d.location || {};
    return lower([d.rule, d.rule_name, loc.sheet, loc.cell, loc.row ? '第' + loc.row + '行' : '', d.message, d.hint,
      x.resolved ? '已改正' : severityLabel(d.severity)].join(' '));
  }

  function renderProblems(wb) {
    var t = S.tracked.get(wb.path);
    // 还没有检查完的结果时（等待生成），照样显示状态中已有的问题，但不说「没有发现问题」。
    var list = t ? t.list.slice() : (Array.isArray(wb.diagnostics) ? wb.diagnostics : []).map(function (d, i) {
      return { key: diagKey(d) + '\u0002' + i, d: d, resolved: false };
    });
    list = list.map(function (x, i) { return { x: x, i: i }; })
      .sort(function (a, b) { return severityRank(a.x.d.severity) - severityRank(b.x.d.severity) || a.i - b.i; })
      .map(function (y) { return y.x; });

    var current = list.filter(function (x) { return !x.resolved; });
    var nErr = current.filter(function (x) { return x.d.severity === 'error'; }).length;
    var nWarn = current.length - nErr;
    $('count-all').textContent = current.length ? String(current.length) : '';
    $('count-error').textContent = nErr ? String(nErr) : '';
    $('count-warning').textContent = nWarn ? String(nWarn) : '';
    document.querySelectorAll('.seg-btn').forEach(function (btn) {
      btn.setAttribute('aria-pressed', btn.dataset.filter === S.sevFilter ? 'true' : 'false');
    });
    var nResolved = list.length - current.length;
    $('clear-resolved').hidden = nResolved === 0;

    var note = $('problems-note');
    var waiting = wb.state === 'pending' || wb.state === 'building';
    if (!t) {
      note.hidden = false;
      note.textContent = list.length ? '正在重新检查这个工作簿，下面是上一次的检查结果。' : '这个工作簿正在等待检查，请稍候…';
    } else if (waiting) {
      note.hidden = false;
      note.textContent = wb.state === 'building' ? '正在生成，检查结果会自动更新。' : '工作簿有改动，正在等待重新检查，下面是上一次的检查结果。';
    } else {
      note.hidden = true;
      note.textContent = '';
    }

    var q = lower(S.problemText.trim());
    var shown = list.filter(function (x) {
      if (S.sevFilter !== 'all' && x.d.severity !== S.sevFilter) return false;
      if (q && problemSearchText(x).indexOf(q) < 0) return false;
      return true;
    });

    var sig = JSON.stringify([wb.path, !!t, current.length, shown.map(function (x) { return [x.key, x.resolved, x.d.hint, x.d.rule_name, (x.d.location || {}).row]; })]);
    if (sig === problemsSig) return;
    problemsSig = sig;

    $('problems').hidden = !t && list.length === 0;
    var tbody = $('problems-body');
    var frag = document.createDocumentFragment();
    if (t && current.length === 0) {
      append(frag, el('tr', { className: 'no-problems' },
        el('td', { colspan: 6 }, el('span', { className: 'ok-mark', 'aria-hidden': 'true', text: '✓' }), '没有发现问题')));
    } else if (list.length > 0 && shown.length === 0) {
      append(frag, el('tr', { className: 'no-match' }, el('td', { colspan: 6, text: '没有符合筛选条件的问题。' })));
    }
    shown.forEach(function (x) { append(frag, problemRow(x)); });
    clear(tbody);
    tbody.appendChild(frag);
  }

  function problemRow(x) {
    var d = x.d;
    var loc = d.location || {};
    var tr = el('tr', {
      className: x.resolved ? 'resolved' : (d.severity === 'error' ? 'error' : 'warning'),
      dataset: { rule: d.rule || '', cell: loc.cell || '', severity: d.severity || '' }
    });
    if (x.resolved) {
      append(tr, el('td', { className: 'col-sev' },
        el('span', { className: 'sev sev-resolved', title: '原来是' + severityLabel(d.severity) + '，已经改正', text: '已改正' })));
    } else {
      append(tr, el('td', { className: 'col-sev' },
        el('span', { className: 'sev sev-' + (d.severity === 'error' ? 'error' : 'warning'), text: severityLabel(d.severity) })));
    }
    append(tr, el('td', { className: 'col-rule' },
      el('div', { className: 'rule-name', text: d.rule_name || '' }),
      el('div', { className: 'rule-code', text: d.rule || '' })));
    append(tr, el('td', { className: 'col-sheet', text: loc.sheet || '—' }));
    var cell = el('td', { className: 'col-cell' });
    if (loc.cell) append(cell, el('div', { className: 'cell-ref', text: loc.cell }));
    if (loc.row) append(cell, el('div', { className: 'cell-row', text: '第' + loc.row + '行' }));
    if (!loc.cell && !loc.row) append(cell, '—');
    append(tr, cell);
    append(tr, el('td', { className: 'col-msg', text: d.message || d.text || '' }));
    append(tr, el('td', { className: 'col-hint', text: d.hint || '—' }));
    return tr;
  }

  // ---------------------------------------------------------------- 页面

  function docsOf(wb) {
    var outs = wb.outputs || [];
    return {
      outs: outs,
      letters: outs.filter(function (o) { return o.kind === 'letter'; }),
      print: outs.filter(function (o) { return o.kind === 'print'; })[0] || null,
      pdf: outs.filter(function (o) { return o.kind === 'pdf'; })[0] || null
    };
  }

  function chosenOutput(wb, docs) {
    var want = S.viewChoice.get(wb.path);
    var chosen = null;
    if (want) docs.outs.forEach(function (o) { if (o.path === want && isPdf(o)) chosen = o; });
    if (!chosen) chosen = docs.letters.length ? docs.letters[0] : (docs.pdf || docs.print || null);
    return chosen;
  }

  function renderPages(wb) {
    var docs = docsOf(wb);
    var batch = docs.letters.length > 0;
    var chosen = chosenOutput(wb, docs);

    var note = $('pages-note');
    var text = '';
    if (!chosen) {
      if (wb.state === 'errors') text = '工作簿有错误，还没有生成公文。请先在「问题」中查看并改正，保存后会自动生成。';
      else if (wb.state === 'pending' || wb.state === 'building') text = '正在生成，完成后这里会显示公文的页面。';
      else text = '这个工作簿没有可以显示的公文页面。';
    } else if (wb.state === 'errors') {
      text = '工作簿现在有错误，下面是上一次生成的结果。改正后会自动重新生成。';
    } else if (wb.state === 'building' || wb.state === 'pending') {
      text = '正在重新生成，完成后页面会自动更新。';
    }
    note.textContent = text;
    note.hidden = !text;
    note.className = 'note' + (wb.state === 'errors' ? ' note-error' : '');

    $('recipient-pane').hidden = !batch;
    $('viewer-pane').hidden = !chosen;
    $('pages-layout').classList.toggle('has-recipients', batch);
    renderRecipients(wb, docs, chosen);
    renderViewer(chosen);
    renderViewerDownloads(wb, docs, chosen);
  }

  function renderRecipients(wb, docs, chosen) {
    var pe = $('print-entry');
    pe.hidden = !docs.print;
    if (docs.print) {
      clear(pe);
      append(pe, el('span', { text: '整批打印文件' }));
      if (docs.print.pages) append(pe, el('span', { className: 'entry-pages', text: '共 ' + docs.print.pages + ' 页' }));
      pe.dataset.path = docs.print.path;
      pe.classList.toggle('selected', !!chosen && chosen.path === docs.print.path);
    }
    $('recipient-count').textContent = docs.letters.length ? '（' + docs.letters.length + ' 份）' : '';

    var list = $('recipients');
    var sig = JSON.stringify([wb.path, docs.letters.map(function (o) { return [o.path, o.label]; })]);
    if (sig !== recipientsSig) {
      recipientsSig = sig;
      var frag = document.createDocumentFragment();
      docs.letters.forEach(function (o, i) {
        var label = o.label || baseName(o.path);
        append(frag, el('li', { dataset: { label: label, path: o.path } },
          el('button', { type: 'button', className: 'recipient', title: label },
            el('span', { className: 'recipient-no', text: String(i + 1) }),
            el('span', { className: 'recipient-label', text: label }))));
      });
      clear(list);
      list.appendChild(frag);
    }
    Array.prototype.forEach.call(list.children, function (li) {
      var on = !!chosen && li.dataset.path === chosen.path;
      li.classList.toggle('selected', on);
      if (on) li.setAttribute('aria-current', 'true'); else li.removeAttribute('aria-current');
    });
    applyRecipientFilter();
  }

  function applyRecipientFilter() {
    var q = lower(S.recipientFilter.trim());
    var shown = 0;
    var list = $('recipients');
    Array.prototype.forEach.call(list.children, function (li) {
      var hide = q !== '' && lower(li.dataset.label).indexOf(q) < 0;
      li.hidden = hide;
      if (!hide) shown++;
    });
    $('recipients-nomatch').hidden = !(list.children.length > 0 && shown === 0);
  }

  function pageUrl(o, n) {
    var url = '/api/page?path=' + encodeURIComponent(o.path) + '&page=' + n + '&scale=1.5';
    var rec = S.outVersions.get(o.path);
    if (rec && rec.v) url += '&v=' + rec.v;
    return url;
  }

  function docTitle(o) {
    if (o.kind === 'letter') return '发给「' + (o.label || baseName(o.path)) + '」的公文';
    if (o.kind === 'print') return '整批打印文件';
    return '公文';
  }

  function renderViewer(chosen) {
    var viewer = $('viewer');
    var rec = chosen ? S.outVersions.get(chosen.path) : null;
    var sig = chosen ? JSON.stringify([chosen.path, chosen.pages, rec ? rec.v : 0]) : '';
    var name = $('viewer-name');
    if (chosen) {
      clear(name);
      append(name, el('strong', { text: docTitle(chosen) }));
      append(name, el('span', { className: 'muted', text: chosen.pages ? '　共 ' + chosen.pages + ' 页' : '' }));
    } else {
      name.textContent = '';
    }
    $('zoom-out').disabled = $('zoom-in').disabled = $('zoom-fit').disabled = !chosen;
    if (sig === viewerSig) return;
    var samePath = viewerSig !== null && chosen && viewer.dataset.path === chosen.path;
    viewerSig = sig;
    var scroller = $('viewer-scroll');
    var keepScroll = samePath ? scroller.scrollTop : 0;

    viewerBase = null;
    viewerAspect = null;
    var frag = document.createDocumentFragment();
    if (chosen) {
      var pages = typeof chosen.pages === 'number' ? chosen.pages : 0;
      if (pages < 1) {
        append(frag, el('p', { className: 'empty', text: '暂时无法显示这份公文的页面（页数未知）。可以用上方的按钮下载 PDF。' }));
      }
      for (var n = 1; n <= pages; n++) {
        var img = document.createElement('img');
        img.loading = 'lazy';
        img.decoding = 'async';
        img.alt = '第 ' + n + ' 页';
        img.className = 'page-img';
        img.dataset.page = String(n);
        img.src = pageUrl(chosen, n);
        sizeImage(img);
        append(frag, el('figure', { className: 'page' }, img, el('figcaption', { text: '第 ' + n + ' 页' })));
      }
      viewer.dataset.path = chosen.path;
    } else {
      delete viewer.dataset.path;
    }
    clear(viewer);
    viewer.appendChild(frag);
    scroller.scrollTop = keepScroll;
    if (S.zoomMode === 'fit') requestAnimationFrame(applyZoom);
  }

  function renderViewerDownloads(wb, docs, chosen) {
    var box = $('viewer-downloads');
    var sig = JSON.stringify([wb.path, chosen ? [chosen.path, chosen.url, chosen.size] : null, wb.zip,
      docs.outs.filter(function (o) { return !isLetterFile(o); }).map(function (o) { return [o.path, o.url, o.size]; })]);
    if (sig === viewerDownloadsSig) return;
    viewerDownloadsSig = sig;
    clear(box);
    if (chosen) {
      append(box, el('a', { href: chosen.url, download: true, className: 'btn btn-primary btn-small' },
        '下载这份 PDF ', el('span', { className: 'btn-size', text: fmtSize(chosen.size) })));
      append(box, el('a', { href: chosen.url + (chosen.url.indexOf('?') >= 0 ? '&' : '?') + 'inline=1', target: '_blank', rel: 'noopener', className: 'btn btn-small' }, '在浏览器中打开'));
      var docx = chosen.kind === 'letter' ? docxOf(docs.outs, chosen) : null;
      if (docx) {
        append(box, el('a', { href: docx.url, download: true, className: 'btn btn-small' },
          '下载这份 DOCX ', el('span', { className: 'btn-size', text: fmtSize(docx.size) })));
      }
    }
    var others = docs.outs.filter(function (o) { return !isLetterFile(o) && (!chosen || o.path !== chosen.path); });
    if (others.length || wb.zip) {
      append(box, el('span', { className: 'vd-sep', text: '本工作簿：' }));
      others.forEach(function (o) { append(box, downloadLink(o, 'btn btn-small')); });
      if (wb.zip) append(box, zipLink(wb, 'btn btn-small'));
    }
    box.hidden = !box.firstChild;
  }

  // ---------------------------------------------------------------- 缩放

  var ZOOMS = [0.25, 0.33, 0.5, 0.67, 0.75, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4];
  var DEFAULT_WIDTH_PT = 595.28; // A4 宽，排版单位“磅”

  // 100% = 实际大小（1 磅 = 96/72 像素）；图像按 1.5 像素/磅排出。还没读到的页按已读到的页的大小占位。
  var viewerBase = null;

  function basePx(img) {
    if (img.naturalWidth) return img.naturalWidth / 1.5 * 96 / 72;
    return viewerBase || DEFAULT_WIDTH_PT * 96 / 72;
  }

  var fitWidth = 0; // 适合宽度时可用的宽度（像素）；横向的页面缩到这个宽度以内

  function sizeImage(img) {
    var w = basePx(img) * S.zoom;
    if (S.zoomMode === 'fit' && fitWidth > 0) w = Math.min(w, fitWidth);
    img.style.width = Math.round(w) + 'px';
    if (img.naturalWidth && img.naturalHeight) img.style.aspectRatio = img.naturalWidth + ' / ' + img.naturalHeight;
    else if (viewerAspect) img.style.aspectRatio = viewerAspect;
  }

  var viewerAspect = null;

  function noteLoaded(img) {
    if (!img.naturalWidth) return;
    if (!viewerBase) {
      viewerBase = img.naturalWidth / 1.5 * 96 / 72;
      viewerAspect = img.naturalWidth + ' / ' + img.naturalHeight;
    }
  }

  function applyZoom() {
    var imgs = $('viewer').querySelectorAll('img.page-img');
    if (S.zoomMode === 'fit') {
      var avail = $('viewer-scroll').clientWidth - 40;
      if (avail > 50) {
        fitWidth = avail;
        S.zoom = Math.max(0.2, Math.min(4, avail / (viewerBase || DEFAULT_WIDTH_PT * 96 / 72)));
      }
    }
    imgs.forEach(sizeImage);
    $('zoom-level').textContent = Math.round(S.zoom * 100) + '%';
    $('zoom-fit').setAttribute('aria-pressed', S.zoomMode === 'fit' ? 'true' : 'false');
  }

  function zoomStep(dir) {
    var z = S.zoom;
    var next = z;
    if (dir > 0) { for (var i = 0; i < ZOOMS.length; i++) if (ZOOMS[i] > z + 0.005) { next = ZOOMS[i]; break; } }
    else { for (var j = ZOOMS.length - 1; j >= 0; j--) if (ZOOMS[j] < z - 0.005) { next = ZOOMS[j]; break; } }
    var scroller = $('viewer-scroll');
    var ratio = scroller.scrollHeight ? scroller.scrollTop / scroller.scrollHeight : 0;
    S.zoomMode = 'manual';
    S.zoom = next;
    applyZoom();
    scroller.scrollTop = ratio * scroller.scrollHeight;
  }

  // ---------------------------------------------------------------- 放大查看一页

  var lightboxPage = null;

  function openLightbox(img) {
    lightboxPage = img;
    var lb = $('lightbox');
    $('lightbox-img').src = img.src;
    $('lightbox-img').alt = img.alt;
    $('lightbox-caption').textContent = img.alt + '　（按 Esc 或点击关闭，← → 翻页）';
    lb.hidden = false;
    lb.scrollTop = 0;
    document.body.classList.add('no-scroll');
  }

  function closeLightbox() {
    $('lightbox').hidden = true;
    $('lightbox-img').removeAttribute('src');
    document.body.classList.remove('no-scroll');
    if (lightboxPage) lightboxPage.scrollIntoView({ block: 'nearest' });
    lightboxPage = null;
  }

  function lightboxMove(dir) {
    if (!lightboxPage) return;
    var fig = lightboxPage.closest('figure');
    var other = dir > 0 ? fig.nextElementSibling : fig.previousElementSibling;
    var img = other && other.querySelector('img.page-img');
    if (img) openLightbox(img);
  }

  // ---------------------------------------------------------------- 下载

  function renderDownloads(wb) {
    var sig = JSON.stringify([wb.path, wb.zip, (wb.outputs || []).map(function (o) { return [o.path, o.url, o.size, o.label, o.kind]; })]);
    if (sig === downloadsSig) return;
    downloadsSig = sig;
    var box = $('downloads');
    clear(box);
    var docs = docsOf(wb);
    var main = docs.outs.filter(function (o) { return !isLetterFile(o); });
    var order = { pdf: 0, docx: 1, print: 2, xlsx: 3 };
    main.sort(function (a, b) { return (order[a.kind] === undefined ? 9 : order[a.kind]) - (order[b.kind] === undefined ? 9 : order[b.kind]); });

    if (!docs.outs.length && !wb.zip) {
      append(box, el('p', { className: 'empty', text: wb.state === 'errors'
        ? '还没有生成的文件。工作簿有错误，改正后会自动生成。'
        : '还没有生成的文件。' }));
      return;
    }
    if (wb.state === 'errors') {
      append(box, el('p', { className: 'note note-error', text: '工作簿现在有错误，下面是上一次生成的文件。' }));
    }
    if (main.length || wb.zip) {
      append(box, el('h3', { text: '本工作簿的文件' }));
      var ul = el('ul', { className: 'dl-list' });
      main.forEach(function (o) {
        append(ul, el('li', null, downloadLink(o, 'dl-link'), el('span', { className: 'dl-file', text: baseName(o.path) })));
      });
      if (wb.zip) {
        append(ul, el('li', null, zipLink(wb, 'dl-link'),
          el('span', { className: 'dl-file', text: '全部 ' + docs.letters.length + ' 份公文打包成一个文件' })));
      }
      append(box, ul);
    }
    if (docs.letters.length) {
      append(box, el('h3', { text: '各收文单位的公文（' + docs.letters.length + ' 份）' }));
      var ul2 = el('ul', { className: 'dl-list dl-letters' });
      docs.letters.forEach(function (o) {
        append(ul2, el('li', null, downloadLink(o, 'dl-link'), el('span', { className: 'dl-file', text: baseName(o.path) })));
      });
      append(box, ul2);
    }
  }

  // ---------------------------------------------------------------- 上传

  var uploadQueue = Promise.resolve();
  var uploadLines = [];

  function showUploadLines(lines) {
    uploadLines = lines;
    var box = $('upload-message');
    clear(box);
    if (!lines.length) { box.hidden = true; return; }
    var list = el('div', { className: 'upload-lines' });
    lines.forEach(function (l) { append(list, el('p', { className: 'upload-line upload-' + l.kind, text: l.text })); });
    append(box, list);
    var close = el('button', { type: 'button', className: 'upload-close', title: '关闭这条消息', 'aria-label': '关闭这条消息' });
    close.addEventListener('click', function () { showUploadLines([]); });
    append(box, close);
    var worst = lines.some(function (l) { return l.kind === 'error'; }) ? 'error'
      : lines.some(function (l) { return l.kind === 'busy'; }) ? 'busy'
        : lines.some(function (l) { return l.kind === 'ok'; }) ? 'ok' : 'info';
    box.className = 'upload-message upload-message-' + worst;
    box.hidden = false;
  }

  function uploadFiles(fileList) {
    var files = Array.prototype.slice.call(fileList || []);
    if (!files.length) return;
    uploadQueue = uploadQueue.then(function () { return uploadBatch(files); });
  }

  function uploadBatch(files) {
    // 一个文件一个请求：同名冲突可以逐个询问，一个文件出错不影响其他文件。
    var results = files.map(function (f) { return [{ kind: 'busy', text: '正在上传：' + f.name + '…' }]; });
    function show() { showUploadLines([].concat.apply([], results)); }
    show();
    var firstSaved = null;
    var i = 0;
    function next() {
      if (i >= files.length) return Promise.resolve();
      var idx = i++;
      return uploadOne(files[idx], false).then(function (result) {
        results[idx] = result.lines || [result.line];
        if (!firstSaved && result.path) firstSaved = result.path;
        show();
        return next();
      });
    }
    return next().then(function () {
      if (firstSaved) {
        if (findWorkbook(firstSaved)) select(firstSaved, { tab: 'problems', scroll: true });
        else S.pendingSelect = firstSaved;
        refresh();
      }
    });
  }

  function uploadOne(file, replace) {
    var fd = new FormData();
    fd.append('file', file, file.name);
    return fetch('/api/upload' + (replace ? '?replace=1' : ''), { method: 'POST', body: fd, credentials: 'same-origin' })
      .then(function (res) {
        return res.text().then(function (text) {
          var body = null;
          try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
          return { res: res, body: body };
        });
      })
      .then(function (r) {
        var res = r.res, body = r.body || {};
        if (res.ok) {
          var saved = Array.isArray(body.saved) ? body.saved : [];
          if (!saved.length) return { line: { kind: 'ok', text: '已添加：' + file.name + '，正在检查和生成…' } };
          var out = saved.map(function (s) {
            var name = s.name || baseName(s.path) || file.name;
            if (s.unchanged) return { kind: 'info', text: '「' + name + '」与 input/ 中已有的文件完全相同，没有改动。' };
            return { kind: 'ok', text: '已添加：' + name + '，正在检查和生成…' + (s.replaced ? '（原来的同名文件已备份）' : '') };
          });
          return { line: out[0], lines: out, path: saved[0].path || null };
        }
        if (res.status === 409 && !replace) {
          var name = body.name || file.name;
          if (window.confirm('input/ 中已有同名的工作簿「' + name + '」，内容不同。要用新文件替换它吗？（旧文件会备份）')) {
            return uploadOne(file, true);
          }
          return { line: { kind: 'info', text: '没有添加「' + name + '」：保留了 input/ 中原来的文件。' } };
        }
        var msg = body.error ? String(body.error) : '服务器回答 ' + res.status;
        var who = body.name || file.name;
        if (msg.indexOf(who) < 0) msg = '「' + who + '」没有添加：' + msg;
        return { line: { kind: 'error', text: msg } };
      })
      .catch(function () {
        var limit = S.status && S.status.upload_limit;
        if (limit && file.size > limit) {
          return { line: { kind: 'error', text: '「' + file.name + '」没有添加：文件太大（' + fmtSize(file.size) + '），超过了上限 ' + fmtSize(limit) + '。' } };
        }
        return { line: { kind: 'error', text: '「' + file.name + '」没有添加：无法连接服务器，请检查 gongwen serve 是否还在运行。' } };
      });
  }

  // 拖入文件
  var dragDepth = 0;

  function hasFiles(e) {
    var types = e.dataTransfer && e.dataTransfer.types;
    return !!types && Array.prototype.indexOf.call(types, 'Files') >= 0;
  }

  function showDrop(on) {
    $('drop-overlay').hidden = !on;
    document.body.classList.toggle('dragging', on);
  }

  // ---------------------------------------------------------------- 新建空白工作簿

  var kinds = [];

  function openNewDialog() {
    var dlg = $('new-dialog');
    if (typeof dlg.showModal === 'function') { if (!dlg.open) dlg.showModal(); } else dlg.setAttribute('open', '');
    var msg = $('kinds-message');
    msg.hidden = false;
    msg.textContent = '正在读取文种…';
    fetch('/api/kinds', { cache: 'no-store', credentials: 'same-origin' })
      .then(function (res) { if (!res.ok) throw new Error(); return res.json(); })
      .then(function (data) {
        var keep = $('kind-select').value;
        kinds = Array.isArray(data.kinds) ? data.kinds : [];
        var sel = $('kind-select');
        clear(sel);
        kinds.forEach(function (k) {
          var text = k.name + (k.description ? ' — ' + k.description : '');
          append(sel, el('option', { value: k.name, text: text }));
        });
        if (keep && kinds.some(function (k) { return k.name === keep; })) sel.value = keep;
        msg.hidden = kinds.length > 0;
        msg.textContent = kinds.length ? '' : '没有可选的文种。';
        $('new-download').disabled = !kinds.length;
        showKindDescription();
      })
      .catch(function () {
        msg.hidden = false;
        msg.textContent = '无法读取文种列表，请稍后再试。';
      });
  }

  function showKindDescription() {
    var name = $('kind-select').value;
    var k = kinds.filter(function (x) { return x.name === name; })[0];
    var box = $('kind-description');
    clear(box);
    if (!k) return;
    append(box, el('span', { className: 'tag ' + (k.builtin ? 'tag-neutral' : 'tag-accent'), text: k.builtin ? '内置文种' : '本项目模板' }));
    append(box, el('span', { text: k.description || '' }));
  }

  // ---------------------------------------------------------------- 字体与项目设置

  function loadProject(generation) {
    S.projectGeneration = generation === undefined ? S.generation : generation;
    return fetch('/api/project', { cache: 'no-store', credentials: 'same-origin' })
      .then(function (res) { if (!res.ok) throw new Error(); return res.json(); })
      .then(renderProject)
      .catch(function () {
        $('project-loading').hidden = false;
        $('project-loading').textContent = '无法读取项目信息。';
      });
  }

  function renderProject(p) {
    $('project-loading').hidden = true;
    var root = $('project-root');
    root.textContent = p.root ? '项目文件夹：' + p.root : '';
    root.title = p.root || '';
    var tbody = $('fonts');
    clear(tbody);
    var fonts = Array.isArray(p.fonts) ? p.fonts : [];
    fonts.forEach(function (f) {
      append(tbody, el('tr', { className: f.official ? 'font-official' : 'font-substitute' },
        el('td', { text: f.role || '' }),
        el('td', { className: 'font-family', text: f.family || '（没有找到）' }),
        el('td', null, el('span', { className: 'tag ' + (f.official ? 'tag-ok' : 'tag-warn'), text: f.official ? '正式字体' : '替代字体' })),
        el('td', { className: 'font-origin', text: f.origin || '' })));
    });
    if (!fonts.length) append(tbody, el('tr', null, el('td', { colspan: 4, className: 'muted', text: '没有字体信息。' })));
    $('fallback-font').textContent = p.fallback ? p.fallback : '无';
    var hasConfig = typeof p.config === 'string';
    $('project-config').hidden = !hasConfig;
    $('project-config').textContent = hasConfig ? p.config : '';
    $('project-noconfig').hidden = hasConfig;
  }

  // ---------------------------------------------------------------- 事件

  function init() {
    // 列表
    var tbody = $('workbooks');
    tbody.addEventListener('click', function (e) {
      if (e.target.closest('a')) return;
      var tr = e.target.closest('tr[data-path]');
      if (tr) select(tr.dataset.path, { tab: 'problems' });
    });
    tbody.addEventListener('keydown', function (e) {
      var tr = e.target.closest('tr[data-path]');
      if (!tr || e.target !== tr) return;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        select(tr.dataset.path, { tab: 'problems' });
      } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        var n = tr;
        do { n = e.key === 'ArrowDown' ? n.nextElementSibling : n.previousElementSibling; } while (n && n.hidden);
        if (n) { n.focus(); select(n.dataset.path, {}); }
      }
    });
    $('workbook-filter').addEventListener('input', function (e) { S.wbFilter = e.target.value; applyListFilter(); });

    // 选项卡
    document.querySelectorAll('.tab').forEach(function (tab) {
      tab.addEventListener('click', function () { S.tab = tab.dataset.tab; renderTabs(); });
      tab.addEventListener('keydown', function (e) {
        if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
        var names = ['problems', 'pages', 'downloads'];
        var i = names.indexOf(S.tab) + (e.key === 'ArrowRight' ? 1 : -1);
        S.tab = names[(i + names.length) % names.length];
        renderTabs();
        $('tab-' + S.tab).focus();
      });
    });

    // 问题筛选
    document.querySelectorAll('.seg-btn').forEach(function (btn) {
      btn.addEventListener('click', function () { S.sevFilter = btn.dataset.filter; renderDetail(); });
    });
    $('problem-filter').addEventListener('input', function (e) { S.problemText = e.target.value; renderDetail(); });
    $('clear-resolved').addEventListener('click', function () {
      var t = S.tracked.get(S.selected);
      if (t) t.list = t.list.filter(function (x) { return !x.resolved; });
      renderDetail();
    });

    // 收文单位
    $('recipients').addEventListener('click', function (e) {
      var li = e.target.closest('li[data-path]');
      if (!li || !S.selected) return;
      S.viewChoice.set(S.selected, li.dataset.path);
      $('viewer-scroll').scrollTop = 0;
      renderDetail();
    });
    $('print-entry').addEventListener('click', function () {
      if (!S.selected || !$('print-entry').dataset.path) return;
      S.viewChoice.set(S.selected, $('print-entry').dataset.path);
      $('viewer-scroll').scrollTop = 0;
      renderDetail();
    });
    $('recipient-filter').addEventListener('input', function (e) { S.recipientFilter = e.target.value; applyRecipientFilter(); });

    // 缩放、放大查看
    $('zoom-in').addEventListener('click', function () { zoomStep(1); });
    $('zoom-out').addEventListener('click', function () { zoomStep(-1); });
    $('zoom-fit').addEventListener('click', function () { S.zoomMode = 'fit'; applyZoom(); });
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver(function () { if (S.zoomMode === 'fit') applyZoom(); }).observe($('viewer-scroll'));
    } else {
      window.addEventListener('resize', function () { if (S.zoomMode === 'fit') applyZoom(); });
    }
    $('viewer').addEventListener('load', function (e) {
      var img = e.target;
      if (img.tagName !== 'IMG') return;
      img.closest('figure').classList.remove('failed');
      var first = !viewerBase;
      noteLoaded(img);
      if (first) applyZoom(); else sizeImage(img);
    }, true);
    $('viewer').addEventListener('error', function (e) {
      var img = e.target;
      if (img.tagName !== 'IMG') return;
      var fig = img.closest('figure');
      fig.classList.add('failed');
      fig.querySelector('figcaption').textContent = '第 ' + img.dataset.page + ' 页（暂时无法显示）';
    }, true);
    $('viewer').addEventListener('click', function (e) {
      if (e.target.tagName === 'IMG' && !e.target.closest('figure').classList.contains('failed')) openLightbox(e.target);
    });
    $('lightbox').addEventListener('click', closeLightbox);
    document.addEventListener('keydown', function (e) {
      if ($('lightbox').hidden) return;
      if (e.key === 'Escape') { e.preventDefault(); closeLightbox(); }
      else if (e.key === 'ArrowRight' || e.key === 'PageDown') { e.preventDefault(); lightboxMove(1); }
      else if (e.key === 'ArrowLeft' || e.key === 'PageUp') { e.preventDefault(); lightboxMove(-1); }
    });

    // 上传
    $('add-button').addEventListener('click', function () { $('file-input').click(); });
    $('file-input').addEventListener('change', function (e) {
      var files = Array.prototype.slice.call(e.target.files || []);
      e.target.value = '';
      uploadFiles(files);
    });
    window.addEventListener('dragenter', function (e) {
      if (!hasFiles(e)) return;
      e.preventDefault();
      dragDepth++;
      showDrop(true);
    });
    window.addEventListener('dragover', function (e) {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      showDrop(true);
    });
    window.addEventListener('dragleave', function (e) {
      if (!hasFiles(e)) return;
      dragDepth = Math.max(0, dragDepth - 1);
      if (dragDepth === 0 || e.relatedTarget === null && e.clientX <= 0 && e.clientY <= 0) { dragDepth = 0; showDrop(false); }
    });
    window.addEventListener('drop', function (e) {
      if (!hasFiles(e)) return;
      e.preventDefault();
      dragDepth = 0;
      showDrop(false);
      uploadFiles(e.dataTransfer.files);
    });
    window.addEventListener('dragend', function () { dragDepth = 0; showDrop(false); });

    // 新建
    $('new-button').addEventListener('click', openNewDialog);
    $('kind-select').addEventListener('change', showKindDescription);
    $('new-download').addEventListener('click', function () {
      var name = $('kind-select').value;
      if (!name) return;
      // 与直接打开 /api/new?kind=… 一样是下载；用带 download 的链接，页面本身不离开（推送连接不断）。
      var a = el('a', { href: '/api/new?kind=' + encodeURIComponent(name), download: true, className: 'visually-hidden' });
      document.body.appendChild(a);
      a.click();
      a.remove();
      var msg = $('kinds-message');
      msg.hidden = false;
      msg.textContent = '已开始下载「' + name + '」的空白工作簿。';
    });
    $('new-dialog').addEventListener('click', function (e) {
      // 点对话框外的灰色区域也关闭
      if (e.target !== $('new-dialog')) return;
      var r = $('new-dialog').getBoundingClientRect();
      if (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom) $('new-dialog').close();
    });

    // 项目信息
    $('project-info').addEventListener('toggle', function () { if ($('project-info').open) loadProject(); });

    loadProject();
    refresh();
    connect();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
