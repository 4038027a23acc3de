// marsad: a little progressive enhancement. Every page works without this file.
// Event page: pointing at a slot row lights up its evidence in the sentences and the article text.
(function () {
  "use strict";
  var table = document.getElementById("slots");
  if (table) {
    var rows = table.querySelectorAll("tr.slot-row");
    var marks = document.querySelectorAll("mark.ev");
    var focus = function (slot) {
      for (var i = 0; i < marks.length; i++) {
        var m = marks[i];
        m.classList.toggle("dim", slot !== null && m.getAttribute("data-slot") !== slot);
        m.classList.toggle("focus", slot !== null && m.getAttribute("data-slot") === slot);
      }
    };
    for (var i = 0; i < rows.length; i++) {
      (function (row) {
        var slot = row.getAttribute("data-slot");
        row.addEventListener("mouseenter", function () { focus(slot); });
        row.addEventListener("mouseleave", function () { focus(null); });
        row.addEventListener("click", function () {
          var first = document.querySelector('#article-text mark[data-slot="' + slot + '"]');
          if (first) { first.scrollIntoView({ behavior: "smooth", block: "center" }); }
        });
      })(rows[i]);
    }
  }
  // Timeline: changing a select applies the filters at once.
  var filters = document.getElementById("filters");
  if (filters) {
    var selects = filters.querySelectorAll("select");
    for (var j = 0; j < selects.length; j++) {
      selects[j].addEventListener("change", function () { filters.submit(); });
    }
  }
})();
