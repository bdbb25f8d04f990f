/* Commune autocomplete following the WAI-ARIA 1.2 combobox pattern.
 * Without JavaScript the form still works: it submits to the search page. */
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

  function setup(box) {
    var input = box.querySelector("input[role=combobox]");
    var list = box.querySelector("[role=listbox]");
    var status = box.closest("form").querySelector("[data-status]");
    var apiUrl = box.getAttribute("data-api-url");
    var detailUrl = box.getAttribute("data-detail-url");
    var items = [];
    var active = -1;
    var lastQuery = "";
    var controller = null;

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

    function go(item) {
      window.location.href = detailUrl.replace("00000", encodeURIComponent(item.insee));
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
        li.addEventListener("mousedown", function (e) { e.preventDefault(); go(item); });
        list.appendChild(li);
      });
      if (results.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = results.length === 1
          ? "1 commune proposée. Flèches haut et bas pour choisir, Entrée pour ouvrir."
          : results.length + " communes proposées. Flèches haut et bas pour choisir, Entrée pour ouvrir.";
      } else {
        close();
        status.textContent = "Aucune commune ne correspond.";
      }
      active = -1;
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
        if (!list.hidden && active >= 0 && items[active]) { e.preventDefault(); go(items[active]); }
      } else if (e.key === "Escape") {
        close();
      }
    });

    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll("[data-commune-autocomplete]").forEach(setup);
})();
