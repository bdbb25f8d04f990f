/* Commune combobox following the WAI-ARIA 1.2 combobox pattern.
 *
 * Two modes:
 * - [data-commune-autocomplete]: choosing a commune opens its page
 *   (data-detail-url, with 00000 standing for the INSEE code);
 * - [data-offer-commune] ("select" mode): choosing a commune writes its INSEE
 *   code into the hidden input named by data-target and keeps
 *   "Name (département)" in the visible input; typing again clears the code.
 * Without JavaScript the forms still work: the server resolves the text.
 */
(function () {
  "use strict";

  function debounce(fn, ms) {
    var t;
    return function () {
      var args = arguments;
      clearTimeout(t);
      t = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  function setup(box, selectMode) {
    var input = box.querySelector("input[role=combobox]");
    var list = box.querySelector("[role=listbox]");
    var hidden = selectMode ? document.getElementById(box.getAttribute("data-target")) : null;
    var scope = selectMode ? box.parentNode : box.closest("form");
    var status = scope ? scope.querySelector("[data-status]") : null;
    var apiUrl = box.getAttribute("data-api-url");
    var detailUrl = box.getAttribute("data-detail-url");
    var verb = selectMode ? "choisir" : "ouvrir";
    var items = [];
    var active = -1;
    var lastQuery = "";
    var controller = null;
    if (!input || !list || (selectMode && !hidden)) return;

    function say(text) { if (status) status.textContent = text; }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (opt, i) {
        opt.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(item) {
      if (!selectMode) {
        window.location.href = detailUrl.replace("00000", encodeURIComponent(item.insee));
        return;
      }
      input.value = item.name + " (" + item.departement + ")";
      lastQuery = input.value;
      hidden.value = item.insee;
      close();
      say("Commune choisie : " + input.value + ".");
    }

    function show(results) {
      items = results;
      list.innerHTML = "";
      results.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = input.id + "-option-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.textContent = item.name + " (" + item.departement + ")";
        var meta = document.createElement("span");
        meta.className = "option-meta";
        meta.textContent = " — " + (item.postal_codes.join(", ") || item.insee);
        li.appendChild(name);
        li.appendChild(meta);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(item); });
        list.appendChild(li);
      });
      active = -1;
      if (results.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        say((results.length === 1 ? "1 commune proposée" : results.length + " communes proposées")
          + ". Flèches haut et bas pour parcourir, Entrée pour " + verb + ".");
      } else {
        close();
        say("Aucune commune ne correspond.");
      }
    }

    var fetchResults = debounce(function (q) {
      if (controller) controller.abort();
      controller = new AbortController();
      fetch(apiUrl + "?limit=10&q=" + encodeURIComponent(q), { signal: controller.signal })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (data) { if (q === lastQuery) show(data); })
        .catch(function () { /* aborted or offline: the form still submits */ });
    }, 120);

    input.addEventListener("input", function () {
      var q = input.value.trim();
      if (hidden) hidden.value = "";
      lastQuery = q;
      if (q.length < 2) { close(); list.innerHTML = ""; items = []; return; }
      fetchResults(q);
    });

    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        if (list.hidden && items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
        if (items.length) { highlight((active + 1) % items.length); e.preventDefault(); }
      } else if (e.key === "ArrowUp") {
        if (items.length) { highlight(active <= 0 ? items.length - 1 : active - 1); e.preventDefault(); }
      } else if (e.key === "Enter") {
        // Enter on a highlighted option chooses it; otherwise the form submits.
        if (!list.hidden && active >= 0 && items[active]) { e.preventDefault(); choose(items[active]); }
      } else if (e.key === "Escape") {
        if (!list.hidden) { e.preventDefault(); close(); }
      }
    });

    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll("[data-commune-autocomplete]").forEach(function (box) { setup(box, false); });
  document.querySelectorAll("[data-offer-commune]").forEach(function (box) { setup(box, true); });
})();
