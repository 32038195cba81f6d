/* Meeting form in the back-office: the status a new activity gets when the editor chooses none. The
   empty choice of the status select says it ("vanzelf: gehouden" once the date has passed, else
   "vanzelf: gepland"), kept current while the date is typed. It mirrors Meeting.status_by_date and
   Meeting.span in programmes/models.py and reads the date with meeting-date.js (loaded first);
   the server decides on save. */
(function () {
  "use strict";
  // Meeting.PERIOD_MONTH and PERIOD_LENGTH_MONTHS, by the season words meeting-date.js reads.
  var PERIOD = {begin: [0, 2], voorjaar: [2, 3], zomer: [5, 3], midden: [5, 2], najaar: [8, 3], eind: [10, 2]};

  /* The day after the last day the date could be, as Meeting.span[1]; null while the date is not read. */
  function spanEnd(form) {
    var d = window.kcMeetingDate && form.elements.date && window.kcMeetingDate.parse(form.elements.date.value);
    if (!d) { return null; }
    if (d.day) { return new Date(d.year, (d.endMonth || d.month) - 1, (d.endDay || d.day) + 1); }
    if (d.month) { return new Date(d.year, d.month, 1); }
    var period = PERIOD[d.season || ""];
    return period ? new Date(d.year, period[0] + period[1], 1) : new Date(d.year + 1, 0, 1);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var select = document.querySelector("select[data-status-by-date]"), form = select && select.form;
    if (!form) { return; }
    var automatic = select.querySelector('option[value=""]'), base = "vanzelf: ";
    function update() {
      var end = spanEnd(form), today = new Date();
      today.setHours(0, 0, 0, 0);
      if (end === null) {
        automatic.textContent = base + "gehouden als de datum voorbij is, anders gepland";
      } else {
        automatic.textContent = base + (end <= today ? "gehouden (de datum is voorbij)" : "gepland (de datum moet nog komen)");
      }
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  });
}());
