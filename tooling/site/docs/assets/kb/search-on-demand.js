/* search-on-demand.js: the theme's search index (megabytes on a big base) is fetched when a reader
   reaches for search (hovers or focuses the search box, opens it, types its shortcut), not on
   every page. The theme asks for it with one XMLHttpRequest while its script starts, so this runs
   first (tooling/site/overrides/main.html) and holds that request's sending until then. A page
   opened from a search result (`?h=`) needs the index to highlight the words: it goes at once. */
(function () {
  "use strict";
  var wanted = /[?&]h=/.test(window.location.search), waiting = [];
  var open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
  function want() {
    if (wanted) return;
    wanted = true;
    waiting.splice(0).forEach(function (go) { go(); });
  }
  XMLHttpRequest.prototype.open = function (method, url) {
    this.kbSearchIndex = /\/search\/search_index\.json$/.test(String(url).split("?")[0]);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var xhr = this, args = arguments;
    if (!xhr.kbSearchIndex || wanted) return send.apply(xhr, args);
    waiting.push(function () { send.apply(xhr, args); });
  };
  function near(event) {
    var target = event.target;
    if (target.closest && target.closest('.md-search, label[for="__search"]')) want();
  }
  document.addEventListener("focusin", near);
  document.addEventListener("pointerover", near);
  document.addEventListener("change", function (e) { if (e.target.id === "__search") want(); });
})();
