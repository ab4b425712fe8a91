/**
 * Files every fresh sandbox $HOME starts with. LibreOffice's profile is seeded so `soffice
 * --headless` inside starts in about a second instead of re-running its first-start self-tests
 * (5-9 s), and always recalculates formulas on load (a stale cached value must not survive a
 * conversion).
 */
export const DEFAULT_HOME_FILES: Record<string, string> = {
    '.config/libreoffice/4/user/registrymodifications.xcu': `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" oor:op="fuse"><value>7.4</value></prop></item>
</oor:items>
`
};

/** First file descriptor used to hand seed files to bubblewrap (3 to 5 are taken). */
export const FIRST_HOME_FILE_FD = 6;
