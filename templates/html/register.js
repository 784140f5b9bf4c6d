/* The register's search, filters, sorting, columns, download and print.
   Plain JavaScript (ES5, so an old engine can at least read it), no
   libraries, nothing fetched. The rows come from the page's own data
   (#register-data, JSON); only the rows a reader can see are drawn, more
   as they scroll, all of them for printing. The view lives in the URL's
   query string, so it can be bookmarked and shared. Without the script
   (or on a browser too old for it) the page's own table is shown, with a
   line that says so. */
'use strict';
(function () {
  var table = document.getElementById('register');
  var form = document.getElementById('filters');
  var source = document.getElementById('register-data');
  if (!table || !form || !source) { return; }
  /* What the script needs; an older browser keeps the page's own table. */
  if (!window.JSON || !window.URLSearchParams || !window.Blob || !window.URL || !URL.createObjectURL ||
      !Array.prototype.forEach || !Element.prototype.closest || !('hidden' in table)) { return; }

  var data = JSON.parse(source.textContent);
  var PAGE = 200;
  var tbody = table.tBodies[0];
  var caption = table.caption;
  var count = document.getElementById('count');
  var empty = document.getElementById('empty');
  var more = document.getElementById('more-filters');
  var moreCount = document.getElementById('more-count');
  var moreRows = document.getElementById('more-rows');
  var printHead = document.getElementById('print-head');
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var FILTERS = ['branch', 'group', 'status', 'age', 'visit', 'card', 'native', 'area'];
  var LABELS = {};
  heads.forEach(function (h) { LABELS[h.getAttribute('data-key')] = h.textContent.trim(); });
  var DEFAULT_COLS = heads.filter(function (h) { return !h.hidden; }).map(function (h) { return h.getAttribute('data-key'); });

  /* The rows, typed once: see src/register/data.rs for the order. */
  var members = data.rows.map(function (a) {
    return {
      id: a[0], name: a[1], words: a[2].split(' '), branch: a[3], group: a[4],
      ageValue: a[5], age: a[6], status: a[7], whereabouts: a[8], mobile: a[9],
      card: a[10], visit: a[11], nativePlace: a[12], native: a[13], area: a[14]
    };
  });
  var sort = { key: '', dir: 'asc' };
  var cols = DEFAULT_COLS.slice();
  var result = [];
  var drawn = 0;

  function control(name) { return form.elements.namedItem(name); }
  function normalise(s) { return s.toLowerCase().replace(/\s+/g, ''); }
  function tag(kind, key) { return data.tags[kind + ':' + key] || ''; }

  /* A cell's text, as the table, the download and the print show it. */
  function text(m, key) {
    switch (key) {
      case 'name': return m.name;
      case 'branch': return data.branches[m.branch] || '';
      case 'group': return data.groups[m.group] || '';
      case 'age': return m.ageValue === null ? '' : String(m.ageValue);
      case 'status': return tag('status', m.status);
      case 'whereabouts': return m.whereabouts;
      case 'mobile': return m.mobile;
      case 'card': return tag('card', m.card);
      case 'visit': return tag('visit', m.visit);
      case 'native': return m.nativePlace;
      case 'area': return m.area;
      default: return '';
    }
  }

  /* One row, built as elements: member text is only ever text. */
  function rowFor(m) {
    var tr = document.createElement('tr');
    tr.setAttribute('data-id', m.id);
    tr.setAttribute('data-branch', m.branch);
    tr.setAttribute('data-card', m.card);
    cols.forEach(function (key) {
      var c;
      if (key === 'name') {
        c = document.createElement('th');
        c.scope = 'row';
        var a = document.createElement('a');
        a.href = 'members/' + encodeURIComponent(m.id) + '.html';
        a.textContent = m.name;
        c.appendChild(a);
      } else {
        c = document.createElement('td');
        c.setAttribute('data-label', LABELS[key]);
        var kind = { status: 's-', card: 'c-', visit: 'v-' }[key];
        if (kind) {
          var s = document.createElement('span');
          s.className = 'tag ' + kind + (m[key] || 'blank');
          s.textContent = text(m, key);
          c.appendChild(s);
        } else {
          c.textContent = text(m, key);
        }
      }
      c.className = 'k-' + key + (key === 'age' ? ' num' : key === 'mobile' ? ' tel' : '') + (c.className ? ' ' + c.className : '');
      tr.appendChild(c);
    });
    return tr;
  }

  /* Draw rows up to `upto` of the result (the rest wait for a scroll). */
  function draw(upto) {
    var frag = document.createDocumentFragment();
    for (var i = drawn; i < upto && i < result.length; i++) { frag.appendChild(rowFor(result[i])); }
    drawn = Math.min(upto, result.length);
    tbody.appendChild(frag);
    var left = result.length - drawn;
    moreRows.hidden = left === 0;
    moreRows.textContent = '再显示 ' + Math.min(PAGE, left) + ' 人（还有 ' + left + ' 人未显示）';
  }

  function redraw() {
    tbody.textContent = '';
    drawn = 0;
    draw(PAGE);
  }

  /* Only the groups of the chosen branch are offered. */
  function limitGroups() {
    var branch = control('branch') ? control('branch').value : '';
    var group = control('group');
    if (!group) { return; }
    Array.prototype.forEach.call(group.options, function (o) {
      var b = o.getAttribute('data-branch');
      var off = !!(branch && b && b !== branch);
      o.hidden = off;
      o.disabled = off;
    });
    if (group.selectedIndex >= 0 && group.options[group.selectedIndex].disabled) { group.value = ''; }
  }

  function state() {
    var s = { q: control('q').value.trim() };
    FILTERS.forEach(function (f) { if (control(f)) { s[f] = control(f).value; } });
    return s;
  }

  function matches(m, s, q) {
    if (q && !m.words.some(function (w) { return w.indexOf(q) !== -1; })) { return false; }
    for (var k = 0; k < FILTERS.length; k++) {
      var v = s[FILTERS[k]];
      if (v && m[FILTERS[k]] !== v) { return false; }
    }
    return true;
  }

  /* The sort order, then the filter: a list taken, not a comparison made. */
  function compute() {
    limitGroups();
    var s = state();
    var q = normalise(s.q);
    var order = sort.key && data.order[sort.key];
    var list = [];
    var i;
    if (order) {
      if (sort.dir === 'desc') {
        for (i = order.length - 1; i >= 0; i--) { list.push(members[order[i]]); }
      } else {
        for (i = 0; i < order.length; i++) { list.push(members[order[i]]); }
      }
    } else {
      list = members;
    }
    result = list.filter(function (m) { return matches(m, s, q); });
    describe(s);
    redraw();
  }

  function sortWords() {
    if (!sort.key) { return '按支部、党小组排列'; }
    return '按' + LABELS[sort.key] + (sort.dir === 'desc' ? '倒序' : '') + '排列';
  }

  /* The conditions in words, for the print heading. */
  function conditionWords(s) {
    var parts = [];
    if (s.q) { parts.push('姓名含“' + s.q + '”'); }
    FILTERS.forEach(function (f) {
      var c = control(f);
      if (c && c.value) {
        var label = form.querySelector('label[for="' + c.id + '"]').textContent;
        parts.push(label + '：' + c.options[c.selectedIndex].textContent.replace(/（\d+）$/, ''));
      }
    });
    return parts.length ? parts.join('；') : '全部党员';
  }

  function describe(s) {
    var n = result.length, all = members.length;
    count.textContent = n === all ? '共 ' + all + ' 人' : '显示 ' + n + ' 人（共 ' + all + ' 人）';
    empty.hidden = n !== 0;
    caption.textContent = '党员名单（' + sortWords() + '）';
    var active = FILTERS.filter(function (f) { return s[f]; }).length;
    if (moreCount) { moreCount.textContent = active ? '（已选 ' + active + ' 项）' : ''; }
    heads.forEach(function (h) {
      var key = h.getAttribute('data-key');
      if (h.hasAttribute('aria-sort')) {
        h.setAttribute('aria-sort', key === sort.key ? (sort.dir === 'desc' ? 'descending' : 'ascending') : 'none');
      }
    });
    printHead.textContent = '';
    [
      '筛选条件：' + conditionWords(s),
      '排列：' + sortWords() + '；' + (n === all ? '共 ' + n + ' 人' : n + ' 人（全体 ' + all + ' 人）'),
      '数据日期：' + document.querySelector('header.site time').textContent
    ].forEach(function (line) {
      var p = document.createElement('p');
      p.textContent = line;
      printHead.appendChild(p);
    });
  }

  function showColumns() {
    /* A list to sign on gets rows tall enough to write in. */
    table.classList.toggle('signing', cols.indexOf('sign') !== -1);
    heads.forEach(function (h) { h.hidden = cols.indexOf(h.getAttribute('data-key')) === -1; });
    Array.prototype.forEach.call(form.querySelectorAll('input[name=col]'), function (c) {
      c.checked = cols.indexOf(c.value) !== -1;
    });
  }

  function readColumns() {
    cols = heads.map(function (h) { return h.getAttribute('data-key'); }).filter(function (key) {
      var c = form.querySelector('input[name=col][value="' + key + '"]');
      return key === 'name' || (c && c.checked);
    });
  }

  function save() {
    var s = state();
    var p = new URLSearchParams();
    Object.keys(s).forEach(function (k) { if (s[k]) { p.set(k, s[k]); } });
    if (sort.key) { p.set('sort', sort.key); p.set('dir', sort.dir); }
    if (cols.join(',') !== DEFAULT_COLS.join(',')) { p.set('cols', cols.join(',')); }
    var qs = p.toString();
    var url = location.pathname + (qs ? '?' + qs : '');
    try { history.replaceState(null, '', url); } catch (e) { /* some file:// setups refuse; the view still works */ }
  }

  function load() {
    var p = new URLSearchParams(location.search);
    control('q').value = p.get('q') || '';
    /* The branch first: it decides which groups can be chosen. A value the
       page does not offer (an old bookmark) falls back to "all". */
    function set(f) {
      var c = control(f);
      if (!c) { return; }
      var v = p.get(f) || '';
      c.value = v;
      if (c.value !== v) { c.value = ''; }
    }
    set('branch');
    limitGroups();
    FILTERS.forEach(function (f) { if (f !== 'branch') { set(f); } });
    var key = p.get('sort') || '';
    sort.key = data.order[key] ? key : '';
    sort.dir = p.get('dir') === 'desc' ? 'desc' : 'asc';
    var wanted = (p.get('cols') || '').split(',');
    if (p.get('cols')) {
      cols = heads.map(function (h) { return h.getAttribute('data-key'); }).filter(function (k) {
        return k === 'name' || wanted.indexOf(k) !== -1;
      });
    }
    showColumns();
  }

  /* CSV as Excel reads it: UTF-8 with a byte-order mark, CRLF lines, and
     a cell that Excel would take for a formula starts with an apostrophe. */
  function csvCell(v) {
    var s = String(v);
    if (/^[=+\-@\t\r]/.test(s)) { s = "'" + s; }
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function download() {
    var lines = [cols.map(function (k) { return csvCell(LABELS[k]); }).join(',')];
    result.forEach(function (m) {
      lines.push(cols.map(function (k) { return csvCell(text(m, k)); }).join(','));
    });
    var blob = new Blob(['\ufeff' + lines.join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' });
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = '党员名单-' + data.as_of + '.csv';
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
  }

  form.addEventListener('submit', function (e) { e.preventDefault(); });
  form.addEventListener('input', function (e) { changed(e); });
  form.addEventListener('change', function (e) { changed(e); });
  function changed(e) {
    if (e.target && e.target.name === 'col') {
      readColumns();
      showColumns();
      redraw();
      save();
      return;
    }
    compute();
    save();
  }
  /* 清除条件: every filter, the sort and the columns back to the first
     view — the table, the address, the download and the print with them. */
  form.addEventListener('reset', function () {
    setTimeout(function () {
      sort.key = '';
      readColumns();
      showColumns();
      compute();
      redraw();
      save();
    }, 0);
  });
  table.tHead.addEventListener('click', function (e) {
    var b = e.target.closest('button.sort');
    if (!b) { return; }
    var key = b.getAttribute('data-key');
    sort.dir = sort.key === key && sort.dir === 'asc' ? 'desc' : 'asc';
    sort.key = key;
    compute();
    save();
  });
  moreRows.addEventListener('click', function () { draw(drawn + PAGE); });
  /* Scrolling near the end of the drawn rows draws the next ones. */
  if (window.IntersectionObserver) {
    new IntersectionObserver(function (entries) {
      if (entries[0].isIntersecting && drawn < result.length) { draw(drawn + PAGE); }
    }, { rootMargin: '600px' }).observe(moreRows.parentNode);
  }
  /* Paper gets every row of the view. */
  window.addEventListener('beforeprint', function () { draw(result.length); });
  document.getElementById('download').addEventListener('click', download);
  document.getElementById('print').addEventListener('click', function () { window.print(); });

  form.hidden = false;
  document.getElementById('tools').hidden = false;
  /* The column headers sort only now (without the script they are plain text). */
  document.documentElement.classList.add('js');
  document.getElementById('old-browser').hidden = true;
  /* On a wide screen all filters are open; on a phone they fold away
     under one line so the table comes first. */
  if (more && window.matchMedia('(min-width: 40.0625rem)').matches) { more.open = true; }
  load();
  if (more && FILTERS.some(function (f) { return control(f) && control(f).value; })) { more.open = true; }
  compute();
  document.documentElement.setAttribute('data-ready', '');
  /* For the browser benchmark (examples/register_bench.rs). */
  if (window.performance && performance.mark) { performance.mark('register-ready'); }
})();
