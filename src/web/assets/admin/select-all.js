/*
 * The review queue's "select all" box in the table's heading. It is hidden without script: the form's
 * "Approve all shown" button does the same job then, so nothing here is needed to approve a whole page.
 * It only ticks and unticks the boxes already on the page; the posted form is unchanged.
 */
(() => {
  const all = document.querySelector("input[data-select-all]");
  const table = all?.closest("table");
  if (!all || !table) return;
  const boxes = () => Array.from(table.querySelectorAll('tbody input[type="checkbox"][name="id"]'));
  all.hidden = false;
  all.addEventListener("change", () => {
    for (const box of boxes()) box.checked = all.checked;
    all.indeterminate = false;
  });
  table.addEventListener("change", (event) => {
    if (event.target === all) return;
    const ticked = boxes().filter((box) => box.checked).length;
    all.checked = ticked > 0 && ticked === boxes().length;
    all.indeterminate = ticked > 0 && !all.checked;
  });
})();
