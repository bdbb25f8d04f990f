/* Diagnosis form: show only the field of the chosen kind of territory, and
 * suggest intercommunalities (datalist filled from the API).
 * Without JavaScript every field shows and the server reads the chosen one. */
(function () {
  "use strict";

  var choice = document.querySelector("[data-territory-choice]");
  if (choice) {
    var radios = choice.querySelectorAll("input[name=kind]");
    var panels = choice.querySelectorAll("[data-territory-kind]");
    var update = function () {
      var checked = choice.querySelector("input[name=kind]:checked");
      var kind = checked ? checked.value : "departement";
      panels.forEach(function (panel) {
        panel.hidden = panel.getAttribute("data-territory-kind") !== kind;
      });
    };
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  }

  var epci = document.querySelector("[data-epci-api]");
  var input = epci && epci.querySelector("input[list]");
  var list = epci && document.getElementById(input.getAttribute("list"));
  if (!input || !list) return;
  var timer = null;
  var last = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      if (q.length < 2 || q === last) return;
      last = q;
      fetch(epci.getAttribute("data-epci-api") + "?q=" + encodeURIComponent(q), {
        headers: { Accept: "application/json" },
      })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (rows) {
          list.textContent = "";
          rows.forEach(function (row) {
            var option = document.createElement("option");
            option.value = row.name + " (" + row.siren + ")";
            list.appendChild(option);
          });
        })
        .catch(function () { /* suggestions are a convenience */ });
    }, 250);
  });
})();
