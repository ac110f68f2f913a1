// The browser's time zone, offered where a runner's zone is chosen. Registering sends it
// with the form (the new runner's days are theirs from the first page). The account page,
// while the runner has none set, chooses it in the list for them to save. Without
// JavaScript both work as they are: the machine's zone, changeable on the account page.
(function () {
  if (!window.Intl) return;
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone) return;
  var sent = document.getElementById("browser-time-zone");
  if (sent) sent.value = zone;
  var select = document.getElementById("time-zone");
  var hint = document.getElementById("time-zone-hint");
  if (!select || !select.hasAttribute("data-unset")) return;
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
