// The banner when Windows 11 keeps Pantau's tray icon in the taskbar's hidden overflow
// (`taskbar_status`, the taskbar event): one button puts it on the taskbar, "Nanti" puts the
// banner away for this page's life.

const $ = (id) => document.getElementById(id);
let later = false;

/** Shows or hides the banner for `status` ({in_overflow}). */
export function renderTaskbar(status) {
  $('taskbar-banner').hidden = later || !status?.in_overflow;
}

/** Wires the banner's buttons and the taskbar event, and asks where the icon is now. */
export async function bindTaskbar(call, on, events, report) {
  $('taskbar-show').addEventListener('click', () => {
    call('show_on_taskbar').then((shown) => { if (shown) $('taskbar-banner').hidden = true; }).catch(report);
  });
  $('taskbar-later').addEventListener('click', () => {
    later = true;
    $('taskbar-banner').hidden = true;
  });
  await on(events.taskbar, renderTaskbar);
  try {
    renderTaskbar(await call('taskbar_status'));
  } catch (e) {
    report(e);
  }
}
