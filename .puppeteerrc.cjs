// @theia/cli pulls in puppeteer, whose postinstall would download Chrome; there is no route for that.
module.exports = { skipDownload: true };
