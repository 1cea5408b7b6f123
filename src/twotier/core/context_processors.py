from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request):
    """Main navigation: citizens' entries for visitors, the staff's working pages once logged in."""
    catalogue = (_("Thủ tục hành chính"), reverse("procedures:list"))
    if not request.user.is_authenticated:
        public = [
            (_("Trang chủ"), reverse("core:home")),
            catalogue,
            (_("Tra cứu hồ sơ"), reverse("dossiers:status")),
            (_("Nộp hồ sơ trực tuyến"), reverse("dossiers:submit")),
        ]
        return {"nav_public": public, "nav_staff": []}
    staff = [
        (_("Bảng điều khiển"), reverse("core:dashboard")),
        (_("Hồ sơ một cửa"), reverse("dossiers:queue")),
        catalogue,
        (_("Chuyển đổi địa chỉ"), reverse("geography:resolve")),
        (_("Đơn vị hành chính"), reverse("geography:provinces")),
        (_("Bộ máy tổ chức"), reverse("apparatus:tree")),
        (_("Sơ kết, tổng kết"), reverse("reviews:reviews")),
    ]
    if request.user.has_perm("evaluation.view_evaluation"):
        staff.append((_("Đánh giá"), reverse("evaluation:dashboard")))
    return {"nav_public": [], "nav_staff": staff}
