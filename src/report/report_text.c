/*
 * report_text.c: text in the report, through Pango (Noto Sans CJK, so
 * Chinese and Latin text share one face), and the report's words in both
 * languages.
 */
#include <string.h>

#include "report_int.h"

#define FONT_SANS "Noto Sans CJK SC"
#define FONT_MONO "Noto Sans Mono CJK SC"

static PangoLayout *layout(cairo_t *cr, const char *text, double w, double size, int bold,
                           const char *family)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, family);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (w > 0) {
		pango_layout_set_width(l, (int)(w * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_text(l, text, -1);
	return l;
}

static double draw(cairo_t *cr, const char *text, double x, double y, double w, double size,
                   int bold, const char *family, int show)
{
	PangoLayout *l = layout(cr, text, w, size, bold, family);
	int pw, ph;
	pango_layout_get_size(l, &pw, &ph);
	if (show) {
		cairo_move_to(cr, x, y);
		pango_cairo_show_layout(cr, l);
	}
	g_object_unref(l);
	return (double)ph / PANGO_SCALE;
}

double rtext(cairo_t *cr, const char *text, double x, double y, double w, double size, int bold)
{
	return draw(cr, text, x, y, w, size, bold, FONT_SANS, 1);
}

double rtext_height(cairo_t *cr, const char *text, double w, double size, int bold)
{
	return draw(cr, text, 0, 0, w, size, bold, FONT_SANS, 0);
}

double rtext_mono(cairo_t *cr, const char *text, double x, double y, double w, double size)
{
	return draw(cr, text, x, y, w, size, 0, FONT_MONO, 1);
}

const char *rlabel(const rdata *d, enum rlabel l)
{
	static const char *const zh[RL_COUNT] = {
	    "再生资源回收站点布局规划",
	    "全市",
	    "图例",
	    "城市站点",
	    "村级站点",
	    "现有站点",
	    "保留站点",
	    "建设期",
	    "未满负荷站点",
	    "站点服务范围",
	    "区（县）界",
	    "未覆盖单元",
	    "运行记录",
	    "求解状态",
	    "目标值",
	    "下界",
	    "相对间隙",
	    "版本",
	    "命令",
	    "参数",
	    "（续）",
	    "站点",
	    "户数",
	    "第 %d 页",
	    "单元至站点连线",
	};
	static const char *const en[RL_COUNT] = {
	    "Recycling station plan",
	    "City",
	    "Legend",
	    "Urban station",
	    "Village station",
	    "Existing station",
	    "Kept station",
	    "Phase",
	    "Underfilled station",
	    "Service area",
	    "District boundary",
	    "Uncovered unit",
	    "Run record",
	    "Status",
	    "Objective",
	    "Bound",
	    "Gap",
	    "Version",
	    "Command",
	    "Parameters",
	    " (continued)",
	    "stations",
	    "households",
	    "page %d",
	    "Unit-station link",
	};
	return d->opt->lang == TABLES_EN ? en[l] : zh[l];
}
