/* The register's search, filters and sorting. Plain JavaScript, no
   libraries, nothing fetched; the state lives in the URL's query string so
   a filtered view can be bookmarked and shared. Without JavaScript the full
   table is simply shown. */
'use strict';
(function () {
  var table = document.getElementById('register');
  var form = document.getElementById('filters');
  if (!table || !form) { return; }
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var count = document.getElementById('count');
  var empty = document.getElementById('empty');
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var FILTERS = ['branch', 'group', 'status', 'age', 'visit', 'card', 'native', 'area'];
  var collator = new Intl.Collator('zh-CN', { numeric: true });
  var sort = { key: '', dir: 'asc' };
  var more = document.getElementById('more-filters');
  var moreCount = document.getElementById('more-count');

  function control(name) { return form.elements.namedItem(name); }

  function normalise(s) { return s.toLowerCase().replace(/\s+/g, ''); }

  /* The row's data-search: name, id, then pinyin and initials. Any part
     of any of them matches ("bg" finds 李宝根 as well as "lbg"). */
  var words = rows.map(function (r) {
    return (r.getAttribute('data-search') || '').toLowerCase().split(' ');
  });

  function matchesSearch(i, q) {
    if (!q) { return true; }
    return words[i].some(function (w) { return w.indexOf(q) !== -1; });
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
    if (group.selectedOptions.length && group.selectedOptions[0].disabled) { group.value = ''; }
  }

  function state() {
    var s = { q: control('q').value.trim() };
    FILTERS.forEach(function (f) { if (control(f)) { s[f] = control(f).value; } });
    return s;
  }

  function apply() {
    limitGroups();
    var s = state();
    var q = normalise(s.q);
    var shown = 0;
    rows.forEach(function (r, i) {
      var ok = matchesSearch(i, q);
      for (var k = 0; ok && k < FILTERS.length; k++) {
        var v = s[FILTERS[k]];
        if (v && r.getAttribute('data-' + FILTERS[k]) !== v) { ok = false; }
      }
      r.hidden = !ok;
      if (ok) { shown++; }
    });
    count.textContent = shown === rows.length ? '共 ' + rows.length + ' 人' : '显示 ' + shown + ' 人（共 ' + rows.length + ' 人）';
    empty.hidden = shown !== 0;
    var active = FILTERS.filter(function (f) { return s[f]; }).length;
    if (moreCount) { moreCount.textContent = active ? '（已选 ' + active + ' 项）' : ''; }
  }

  function cellValue(row, col) {
    var c = row.cells[col];
    if (!c) { return ''; }
    var v = c.getAttribute('data-v');
    return v !== null ? v : c.textContent.trim();
  }

  function doSort() {
    heads.forEach(function (h) { if (h.hasAttribute('aria-sort')) { h.setAttribute('aria-sort', 'none'); } });
    var col = -1;
    heads.forEach(function (h, i) { if (h.getAttribute('data-key') === sort.key) { col = i; } });
    var order = rows.slice();
    if (col >= 0) {
      var sign = sort.dir === 'desc' ? -1 : 1;
      heads[col].setAttribute('aria-sort', sort.dir === 'desc' ? 'descending' : 'ascending');
      order.sort(function (a, b) {
        var x = cellValue(a, col), y = cellValue(b, col);
        var nx = parseFloat(x), ny = parseFloat(y);
        var d = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : collator.compare(x, y);
        return d * sign;
      });
    }
    var frag = document.createDocumentFragment();
    order.forEach(function (r) { frag.appendChild(r); });
    tbody.appendChild(frag);
  }

  function save() {
    var s = state();
    var p = new URLSearchParams();
    Object.keys(s).forEach(function (k) { if (s[k]) { p.set(k, s[k]); } });
    if (sort.key) { p.set('sort', sort.key); p.set('dir', sort.dir); }
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
    sort.key = heads.some(function (h) { return h.getAttribute('data-key') === key; }) ? key : '';
    sort.dir = p.get('dir') === 'desc' ? 'desc' : 'asc';
  }

  form.addEventListener('submit', function (e) { e.preventDefault(); });
  form.addEventListener('input', function () { apply(); save(); });
  form.addEventListener('change', function () { apply(); save(); });
  form.addEventListener('reset', function () {
    setTimeout(function () { sort.key = ''; doSort(); apply(); save(); }, 0);
  });
  table.tHead.addEventListener('click', function (e) {
    var b = e.target.closest('button.sort');
    if (!b) { return; }
    var key = b.getAttribute('data-key');
    sort.dir = sort.key === key && sort.dir === 'asc' ? 'desc' : 'asc';
    sort.key = key;
    doSort();
    save();
  });

  form.hidden = false;
  /* On a wide screen all filters are open; on a phone they fold away
     under one line so the table comes first. */
  if (more && window.matchMedia('(min-width: 40rem)').matches) { more.open = true; }
  load();
  if (more && FILTERS.some(function (f) { return control(f) && control(f).value; })) { more.open = true; }
  doSort();
  apply();
})();
