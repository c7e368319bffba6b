module.exports = async (params) => {

    window.location.href = "obsidian://open?vault=Rainbell&file=40%20-%20Obsidian%2F%E8%84%9A%E6%9C%AC%2FtasksCalendar%2F%E4%BB%BB%E5%8A%A1%E9%9D%A2%E6%9D%BF";

}

