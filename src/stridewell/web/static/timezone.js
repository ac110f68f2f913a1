// The account page's time zone: while the runner has none set, choose the browser's
// zone in the list for them to save. Without JavaScript the list works as it is.
(function () {
  var select = document.getElementById("time-zone");
  var hint = document.getElementById("time-zone-hint");
  if (!select || !select.hasAttribute("data-unset") || !window.Intl) return;
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone) return;
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].value === zone) {
      select.selectedIndex = i;
      if (hint) {
        hint.textContent = "Your browser says you are in " + zone + ": save it to use it.";
        hint.hidden = false;
      }
      return;
    }
  }
})();
